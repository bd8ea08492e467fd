import { loadManifests } from '../../specs/index.js';
import type { DesiredObject } from '../../specs/model.js';

/** Loads manifests from YAML text; fails the test on any problem. */
export async function desiredFrom(yaml: string, cwd = '/tmp'): Promise<DesiredObject[]> {
  const result = await loadManifests(['-'], { stdin: yaml, cwd });
  if (result.problems.length) {
    throw new Error(
      result.problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.code}]`).join('\n'),
    );
  }
  return result.set.objects;
}
