import { loadManifests } from '../../specs/index.js';
import type { DesiredObject } from '../../specs/model.js';
import { TEST_IMAGE } from './docker.js';

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

/**
 * A container that sleeps and stops at once (the engine's init forwards SIGTERM); `extra`
 * is appended to its spec (indented two spaces, ending in a newline).
 */
export function sleeperYaml(name: string, extra = ''): string {
  return `apiVersion: berth/v1
kind: Container
metadata: {name: ${name}}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "3600"]
${extra}`;
}

/**
 * An Image `app` built from `./app` (tagged `ref`) and a Container running it that prints its
 * `/v` file, with a 1 s update gate: the built-image retention tests' set. `env` adds env vars.
 */
export function builtAppYaml(ref: string, env: Record<string, string> = {}): string {
  const vars = Object.entries(env).map(([k, v]) => `${k}: "${v}"`);
  return `apiVersion: berth/v1
kind: Image
metadata: {name: app}
spec: {ref: "${ref}", build: {context: ./app}}
---
apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: app
  init: true
  command: [sh, -c, "cat /v; sleep 600"]
${vars.length ? `  env: {${vars.join(', ')}}\n` : ''}  update: {minReady: 1s}
`;
}
