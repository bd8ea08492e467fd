import { readFile } from 'node:fs/promises';
import { refuseHostPath } from './host-path.js';
import { isAbsolute, resolve } from 'node:path';
import { MIN_MASKED_CHARS, rememberValue, type ValueKind } from '../file-values.js';
import type { FileMount, FileValueSpec } from '../model.js';
import type * as Raw from '../types.generated.js';
import type { NormaliseContext } from './context.js';
import { ioReason } from '../read/io-reason.js';

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
      const bytes = await readFile(file);
      warnIfShort(bytes, kind, ['spec', 'file'], ctx);
      return { source: { file }, digest: rememberValue(bytes, kind) };
    } catch (e) {
      ctx.report('E_SECRET_SOURCE', ['spec', 'file'], `${file} ${ioReason(e)}`);
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
    const bytes = Buffer.from(value ?? '', 'utf8');
    if (value !== undefined) warnIfShort(bytes, kind, ['spec', 'env'], ctx);
    return { source: { env: raw.env }, digest: rememberValue(bytes, kind) };
  }
  const content = 'content' in raw ? (raw.content ?? '') : '';
  const bytes = Buffer.from(content, 'utf8');
  warnIfShort(bytes, kind, ['spec', 'content'], ctx);
  return { source: { content }, digest: rememberValue(bytes, kind) };
}

/**
 * A Secret value of 1 to MIN_MASKED_CHARS - 1 characters (whitespace around it not counted)
 * is not masked where a container prints it (F623); the user is told so, never the value (F764).
 */
function warnIfShort(
  bytes: Buffer,
  kind: ValueKind,
  path: ['spec', string],
  ctx: NormaliseContext,
): void {
  const chars = [...bytes.toString('utf8').trim()].length;
  if (kind !== 'secret' || chars === 0 || chars >= MIN_MASKED_CHARS) return;
  ctx.warn(
    'W_SECRET_SHORT',
    path,
    `holds a value under ${MIN_MASKED_CHARS} characters: berth never prints it, but does not search container output (logs, probe output) for it; a longer secret is masked there too`,
  );
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
