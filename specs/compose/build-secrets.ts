import { isRecord } from './located.js';
import { lose, manifestPath } from './state.js';
import type { ImportState } from './state.js';
import { text } from './values.js';

/** What berth's Image `build.secrets` accepts as an id (schemas/image.schema.json). */
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Compose `build.secrets` of one service → berth Image `build.secrets` (`{id, file}` or
 * `{id, env}`), as `docker compose build` hands them to BuildKit: the id is `target`, else
 * `source`; the value is the top-level secret's `file` or `environment` (compose-spec
 * build.md; docker/compose pkg/compose/build.go). `uid`, `gid` and `mode` are ignored by
 * BuildKit (Compose warns and drops them), so they are noted, not lost. A secret that is
 * not declared, or is external/content-only, is named as a loss.
 */
export function buildSecrets(
  state: ImportState,
  service: string,
  entries: unknown,
  notes: string[],
): Record<string, string>[] {
  const list = Array.isArray(entries) ? entries : [];
  const out: Record<string, string>[] = [];
  list.forEach((entry, i) => {
    const where = `services.${service}.build.secrets[${i}]`;
    const long: Record<string, unknown> = isRecord(entry) ? entry : { source: entry };
    const source = text(long.source);
    const id = long.target === undefined ? source : text(long.target);
    const def = state.project.secrets[source];
    const miss = (why: string) => lose(state, list, i, where, why);
    if (!isRecord(def)) return miss(`secret ${source} is not declared at the top level`);
    if (!SECRET_ID.test(id))
      return miss(`the secret id ${JSON.stringify(id)} is not one berth accepts ([A-Za-z0-9_.-])`);
    if (typeof def.file === 'string') out.push({ id, file: manifestPath(state, def.file) });
    else if (typeof def.environment === 'string' && ENV_NAME.test(def.environment))
      out.push({ id, env: def.environment });
    else return miss('only file: and environment: secrets can be handed to a build');
    const ignored = ['uid', 'gid', 'mode'].filter((k) => k in long);
    if (ignored.length)
      notes.push(`${where}: ${ignored.join(', ')} dropped, as BuildKit ignores them for builds`);
    for (const k of Object.keys(long))
      if (!['source', 'target', 'uid', 'gid', 'mode'].includes(k))
        lose(state, long, k, `${where}.${k}`, 'not a build secret option');
  });
  return out;
}
