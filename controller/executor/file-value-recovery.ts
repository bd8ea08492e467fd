import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestOf, rememberValue, valueOf } from '../../specs/file-values.js';
import type { ConfigObject, DesiredObject, SecretObject } from '../../specs/model.js';
import { BerthError } from '../errors.js';

/**
 * The bytes of Secrets and Configs a process did not read itself: `berth rollback` and a
 * controller re-applying a set from history get only each value's source and digest (the
 * bytes are never recorded; DESIGN "More of the container model"). They come back from:
 *   1. the declared source (file, variable of this process, inline content) when it still
 *      holds bytes with the recorded digest;
 *   2. the file berth wrote for a mount of that digest, under
 *      `<stateDir>/<project>/files/<container>/…-<digest hex>` (see plan/file-mount-paths.ts).
 * Whatever is found is checked against the digest and kept in memory (specs/file-values.ts)
 * for the mount writer. FINDINGS F21: rollback failed for every set with a secret or config.
 */

type FileValueObject = SecretObject | ConfigObject;

/**
 * Makes the value of `object` known to this process if it can; true when it is known.
 * Never throws: an unreadable source or folder only means "not found there".
 */
export async function recoverValue(
  stateDir: string,
  project: string,
  object: FileValueObject,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const { digest } = object.spec;
  if (!digest) return false;
  const bytes =
    valueOf(digest) ??
    (await fromSource(object, env, digest)) ??
    (await fromWrittenFile(stateDir, project, digest));
  // Again when known: the same bytes read for a Config are a Secret's too, and hidden then.
  if (bytes) rememberValue(bytes, object.kind === 'Secret' ? 'secret' : 'config');
  return bytes !== undefined;
}

/**
 * Recovers the value of every Secret and Config in `desired` before anything runs. Rejects
 * with E_STATE naming each one found nowhere and what to do, so nothing is changed half-way.
 */
export async function recoverFileValues(
  stateDir: string,
  project: string,
  desired: readonly DesiredObject[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const missing: string[] = [];
  for (const object of desired) {
    if (object.kind !== 'Secret' && object.kind !== 'Config') continue;
    if (!(await recoverValue(stateDir, project, object, env)))
      missing.push(`${object.kind}/${object.name} (${sourceText(object)})`);
  }
  if (missing.length)
    throw new BerthError(
      'E_STATE',
      `the value applied then is no longer available for ${missing.join(', ')}`,
      {
        hint: 'restore the source to the value of that apply, or apply the current manifests instead',
      },
    );
}

async function fromSource(
  object: FileValueObject,
  env: NodeJS.ProcessEnv,
  digest: string,
): Promise<Buffer | undefined> {
  const { source } = object.spec;
  let bytes: Buffer | undefined;
  if ('content' in source) bytes = Buffer.from(source.content, 'utf8');
  else if ('env' in source) {
    const value = env[source.env];
    bytes = value === undefined ? undefined : Buffer.from(value, 'utf8');
  } else bytes = await readFile(source.file).catch(() => undefined);
  return bytes && digestOf(bytes) === digest ? bytes : undefined;
}

async function fromWrittenFile(
  stateDir: string,
  project: string,
  digest: string,
): Promise<Buffer | undefined> {
  const suffix = `-${digest.replace(/^sha256:/, '')}`;
  const files = join(stateDir, project, 'files');
  const containers = await readdir(files).catch(() => [] as string[]);
  for (const container of containers) {
    const names = await readdir(join(files, container)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith(suffix))) {
      const bytes = await readFile(join(files, container, name)).catch(() => undefined);
      if (bytes && digestOf(bytes) === digest) return bytes;
    }
  }
  return undefined;
}

/** Where the value was declared to come from, never the value. */
function sourceText(object: FileValueObject): string {
  const { source } = object.spec;
  if ('file' in source) return `file ${source.file}`;
  if ('env' in source) return `variable ${source.env}`;
  return 'inline content';
}
