import { readFile } from 'node:fs/promises';
import { refuseHostPath } from './host-path.js';
import { isAbsolute, resolve } from 'node:path';
import { rememberValue, type ValueKind } from '../file-values.js';
import type { FileMount, FileValueSpec } from '../model.js';
import type * as Raw from '../types.generated.js';
import type { NormaliseContext } from './context.js';

/**
 * Secret and Config: reads the value now (a missing or unreadable file, or an unset
 * variable, is a problem at its line), keeps the bytes in memory by digest, and returns
 * only where they came from and the digest. Never puts the value in a message.
 */
export async function normaliseFileValue(
  raw: Raw.SecretSpec | Raw.ConfigSpec,
  kind: ValueKind,
  ctx: NormaliseContext,
  env: NodeJS.ProcessEnv,
): Promise<FileValueSpec> {
  if ('file' in raw && raw.file !== undefined) {
    const file = isAbsolute(raw.file) ? resolve(raw.file) : resolve(ctx.baseDir, raw.file);
    // The file's bytes reach the container as a mount would: the same host paths are refused
    // (a Secret of /etc/shadow hands out the host's shadow file as surely as a bind mount).
    if (refuseHostPath(file, ['spec', 'file'], ctx)) return { source: { file }, digest: '' };
    try {
      return { source: { file }, digest: rememberValue(await readFile(file), kind) };
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? 'unreadable';
      ctx.report('E_SECRET_SOURCE', ['spec', 'file'], `cannot be read: ${file} (${why})`);
      return { source: { file }, digest: '' };
    }
  }
  if ('env' in raw && raw.env !== undefined) {
    const value = env[raw.env];
    if (value === undefined)
      ctx.report(
        'E_SECRET_SOURCE',
        ['spec', 'env'],
        `names ${raw.env}, which is set neither in berth's environment nor in the env file`,
      );
    return {
      source: { env: raw.env },
      digest: rememberValue(Buffer.from(value ?? '', 'utf8'), kind),
    };
  }
  const content = 'content' in raw ? (raw.content ?? '') : '';
  return { source: { content }, digest: rememberValue(Buffer.from(content, 'utf8'), kind) };
}

/**
 * `{secret|config: NAME, target, mode, uid, gid}` with Compose's defaults for target and mode:
 * no target is `/run/secrets/NAME` (secret) or `/NAME` (config); a relative target is read as
 * Compose reads it (docker/compose pkg/compose: under `/run/secrets/` for a secret, under `/`
 * for a config), so the engine never gets a relative container path (F491).
 */
export function normaliseFileMount(mount: Raw.SecretMount | Raw.ConfigMount): FileMount {
  const isSecret = 'secret' in mount;
  const name = isSecret ? mount.secret : (mount as Raw.ConfigMount).config;
  const out: FileMount = {
    type: isSecret ? 'secret' : ('config' as 'secret'),
    name,
    target: fileMountTarget(isSecret, name, mount.target),
    mode: mount.mode === undefined ? (isSecret ? 0o600 : 0o444) : parseMode(mount.mode),
  };
  if (mount.uid !== undefined) out.uid = mount.uid;
  if (mount.gid !== undefined) out.gid = mount.gid;
  return out;
}

function fileMountTarget(isSecret: boolean, name: string, target: string | undefined): string {
  const dir = isSecret ? '/run/secrets/' : '/';
  if (target === undefined) return `${dir}${name}`;
  return target.startsWith('/') ? target : `${dir}${target}`;
}

/** "0400" or 400 (octal digits either way, as Compose files write them). */
function parseMode(mode: string | number): number {
  return Number.parseInt(String(mode), 8);
}
