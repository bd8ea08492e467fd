import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestOf, rememberValue, valueOf } from '../../specs/file-values.js';
import type { DesiredObject, FileValueSpec } from '../../specs/model.js';
import { BerthError } from '../errors.js';

/**
 * The bytes of the Secrets and Configs of an earlier apply, for a rollback. History keeps
 * only their digests (a secret's value never reaches records: DESIGN.md "More of the container
 * model"), and specs/file-values.ts holds the bytes only for the process that read them; a
 * rollback reads them again (FINDINGS F21: every rollback of a set with a secret failed with
 * "the value of Secret/x was not read in this run"). Sources, in order: the recorded source
 * (file, berth's environment variable, inline content) when it still holds a value with that
 * digest; else a file berth wrote for a container under `<stateDir>/<project>/files/` whose
 * name carries the digest (plan/file-mount-paths.ts). Throws E_STATE, before any change,
 * naming each value that neither still has.
 */
export async function recallFileValues(
  objects: readonly DesiredObject[],
  stateDir: string,
  project: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const missing: string[] = [];
  let written: Map<string, string> | undefined;
  for (const o of objects) {
    if (o.kind !== 'Secret' && o.kind !== 'Config') continue;
    if (valueOf(o.spec.digest)) continue;
    if (await fromSource(o.spec, env)) continue;
    written ??= await writtenFiles(stateDir, project);
    const path = written.get(o.spec.digest.replace(/^sha256:/, ''));
    const bytes = path ? await readFile(path).catch(() => undefined) : undefined;
    if (bytes && digestOf(bytes) === o.spec.digest) rememberValue(bytes);
    else missing.push(`${o.kind}/${o.name} (${describeSource(o.spec)})`);
  }
  if (missing.length > 0)
    throw new BerthError(
      'E_STATE',
      `the value of ${missing.join(', ')} that this apply used is no longer there: its source holds another value now`,
      {
        hint: 'put the earlier value back in its source and roll back again, or apply the folder as it is',
      },
    );
}

async function fromSource(spec: FileValueSpec, env: NodeJS.ProcessEnv): Promise<boolean> {
  const source = spec.source;
  const bytes =
    'file' in source
      ? await readFile(source.file).catch(() => undefined)
      : 'env' in source
        ? env[source.env] === undefined
          ? undefined
          : Buffer.from(env[source.env] ?? '', 'utf8')
        : Buffer.from(source.content, 'utf8');
  if (!bytes || digestOf(bytes) !== spec.digest) return false;
  rememberValue(bytes);
  return true;
}

/** Digest (hex) → a file berth wrote for some container of the project with that value. */
async function writtenFiles(stateDir: string, project: string): Promise<Map<string, string>> {
  const root = join(stateDir, project, 'files');
  const found = new Map<string, string>();
  const folders = await readdir(root).catch(() => [] as string[]);
  for (const folder of folders) {
    const entries = await readdir(join(root, folder)).catch(() => [] as string[]);
    for (const entry of entries) {
      const hex = /-([0-9a-f]{16})$/.exec(entry)?.[1];
      if (hex) found.set(hex, join(root, folder, entry));
    }
  }
  return found;
}

function describeSource(spec: FileValueSpec): string {
  const source = spec.source;
  if ('file' in source) return `file ${source.file}`;
  if ('env' in source) return `variable ${source.env}`;
  return 'inline content';
}
