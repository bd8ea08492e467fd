import { carryContent, coolifyFolder, extraKeyWhy } from './coolify.js';
import { isRecord } from './located.js';
import { looksLikePath, splitVolume } from './normalise.js';
import { anonymousVolume, bindMountObject, fileObject, volumeObject } from './shared.js';
import { lose } from './state.js';
import type { ImportState } from './state.js';
import { fileMode, flag, quantity, text, wholeNumber } from './values.js';
import { fileTarget } from './mount-targets.js';

/** One service being converted: its Compose name, its mapping, and the mounts built so far. */
export interface MountTarget {
  state: ImportState;
  service: string;
  mounts: Record<string, unknown>[];
}

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const SELINUX = new Set(['z', 'Z']);
const IGNORED_MODES = new Set(['rw', 'consistent', 'cached', 'delegated']);

/** `volumes:` entries (short and long syntax) → bind, volume and tmpfs mounts. */
export function carryVolumes(t: MountTarget, list: unknown[]): void {
  list.forEach((entry, i) => {
    const path = `services.${t.service}.volumes[${i}]`;
    if (typeof entry === 'string') shortVolume(t, list, i, entry, path);
    else if (isRecord(entry)) longVolume(t, list, i, entry, path);
    else lose(t.state, list, i, path, 'not a volume entry');
  });
}

function shortVolume(t: MountTarget, list: unknown[], i: number, spec: string, path: string): void {
  const parts = splitVolume(spec);
  if (parts.length === 1) {
    t.mounts.push({ volume: anonymousVolume(t.state, t.service, i, spec), target: spec });
    return;
  }
  const [source, target, modes = ''] = parts as [string, string, string?];
  const mount: Record<string, unknown> = looksLikePath(source)
    ? { bindMount: bindMountObject(t.state, source, path, true), target }
    : { volume: volumeObject(t.state, source), target };
  for (const mode of modes.split(',').filter(Boolean)) {
    if (mode === 'ro') mount.readOnly = true;
    else if (mode === 'nocopy' && 'volume' in mount) mount.noCopy = true;
    else if (PROPAGATION.has(mode) && 'bindMount' in mount) mount.propagation = mode;
    else if (SELINUX.has(mode)) mount.selinux = mode;
    else if (!IGNORED_MODES.has(mode)) lose(t.state, list, i, `${path}:${mode}`, modeWhy(mode));
  }
  if (parts.length > 3) lose(t.state, list, i, path, 'more than SOURCE:TARGET:MODE');
  t.mounts.push(mount);
}

function modeWhy(mode: string): string {
  return `mount option ${mode} is not a berth mount option`;
}

/** The keys of a Compose long-form volume entry (compose-spec `service_volume`). */
const LONG_KEYS = new Set([
  'type',
  'source',
  'target',
  'read_only',
  'bind',
  'volume',
  'tmpfs',
  'consistency',
]);

function longVolume(
  t: MountTarget,
  list: unknown[],
  i: number,
  entry: Record<string, unknown>,
  path: string,
): void {
  const target = text(entry.target);
  const source = typeof entry.source === 'string' ? entry.source : undefined;
  const mount: Record<string, unknown> = {};
  if (entry.type === 'bind' && source) {
    if (carryContent(t, entry, path)) return;
    const bind = isRecord(entry.bind) ? entry.bind : {};
    const create = bind.create_host_path === true || coolifyFolder(entry);
    Object.assign(mount, { bindMount: bindMountObject(t.state, source, path, create), target });
    if (typeof bind.propagation === 'string') mount.propagation = bind.propagation;
    if (bind.selinux !== undefined && SELINUX.has(text(bind.selinux))) mount.selinux = bind.selinux;
    else if (bind.selinux !== undefined)
      lose(t.state, bind, 'selinux', `${path}.bind.selinux`, 'SELinux relabelling is z or Z');
    for (const k of Object.keys(bind))
      if (!['propagation', 'create_host_path', 'selinux'].includes(k))
        lose(t.state, bind, k, `${path}.bind.${k}`, 'not a berth mount option');
  } else if (entry.type === 'volume' || (entry.type === undefined && source)) {
    const vol = isRecord(entry.volume) ? entry.volume : {};
    const name = source
      ? volumeObject(t.state, source)
      : anonymousVolume(t.state, t.service, i, target);
    Object.assign(mount, { volume: name, target });
    setFlag(mount, 'noCopy', vol.nocopy);
    if (typeof vol.subpath === 'string') mount.subpath = vol.subpath;
  } else if (entry.type === 'tmpfs') {
    Object.assign(mount, { tmpfs: target }, longTmpfs(t, entry, path));
  } else {
    lose(t.state, entry, 'type', `${path}.type`, `mount type ${text(entry.type)} is not supported`);
    return;
  }
  if (entry.type !== 'tmpfs') setFlag(mount, 'readOnly', entry.read_only);
  for (const k of Object.keys(entry)) {
    if (LONG_KEYS.has(k)) continue;
    const why = extraKeyWhy(entry, k);
    if (why) lose(t.state, entry, k, `${path}.${k}`, why);
  }
  t.mounts.push(mount);
}

/** Sets a mount's boolean where Compose's is true or a variable (false is berth's default). */
function setFlag(mount: Record<string, unknown>, field: string, value: unknown): void {
  const carried = flag(value);
  if (carried !== undefined && carried !== false) mount[field] = carried;
}

/**
 * mount(8) flags a tmpfs takes (schemas/container.schema.json `tmpfsMount.options`; the
 * engine's `HostConfig.Tmpfs` passes them to mount). `rw` is the default and not written.
 */
export const TMPFS_FLAGS = new Set([
  'ro',
  'rw',
  'exec',
  'noexec',
  'suid',
  'nosuid',
  'dev',
  'nodev',
  'sync',
  'async',
  'dirsync',
  'atime',
  'noatime',
  'diratime',
  'nodiratime',
  'relatime',
  'norelatime',
  'strictatime',
  'nostrictatime',
  'mand',
  'nomand',
]);

/**
 * The long form's `tmpfs: {size, mode}` (the Compose schema has no other key) and its
 * `read_only`, which becomes the `ro` flag (berth's tmpfs mount has no `readOnly`).
 */
function longTmpfs(t: MountTarget, entry: Record<string, unknown>, path: string) {
  const tmpfs = isRecord(entry.tmpfs) ? entry.tmpfs : {};
  const out: Record<string, unknown> = {};
  if (tmpfs.size !== undefined) out.size = quantity(tmpfs.size);
  if (tmpfs.mode !== undefined) out.mode = fileMode(tmpfs.mode);
  for (const k of Object.keys(tmpfs))
    if (k !== 'size' && k !== 'mode' && !k.startsWith('x-'))
      lose(t.state, tmpfs, k, `${path}.tmpfs.${k}`, 'not a Compose tmpfs option (size, mode)');
  const readOnly = flag(entry.read_only);
  if (readOnly === true) out.options = ['ro'];
  else if (typeof readOnly === 'string')
    lose(t.state, entry, 'read_only', `${path}.read_only`, 'a variable cannot choose a tmpfs flag');
  return out;
}

/** `tmpfs:` entries (`/run`, `/run:size=64m,mode=1777,uid=1000`, `/tmp:noexec,nosuid`) → tmpfs mounts. */
export function carryTmpfs(t: MountTarget, list: unknown[]): void {
  list.forEach((entry, i) => {
    const [target, options = ''] = String(entry).split(/:(.*)/s) as [string, string?];
    const mount: Record<string, unknown> = { tmpfs: target };
    for (const option of options.split(',').filter(Boolean)) {
      const [key = '', value] = option.split('=');
      if (key === 'size') mount.size = quantity(value);
      else if (key === 'mode') mount.mode = fileMode(value);
      else if (key === 'rw' && value === undefined) continue;
      else if (TMPFS_FLAGS.has(key) && value === undefined) addFlag(mount, key);
      else if ((key === 'uid' || key === 'gid') && wholeNumber(value) !== undefined)
        mount[key] = wholeNumber(value);
      else
        lose(
          t.state,
          list,
          i,
          `services.${t.service}.tmpfs[${i}]:${key}`,
          'not a berth tmpfs option',
        );
    }
    t.mounts.push(mount);
  });
}

function addFlag(mount: Record<string, unknown>, option: string): void {
  const options = (mount.options ??= []) as string[];
  if (!options.includes(option)) options.push(option);
}

/** `secrets:` / `configs:` of a service → secret/config mounts (short and long form). */
export function carryFileMounts(t: MountTarget, kind: 'Secret' | 'Config', list: unknown[]): void {
  const key = kind === 'Secret' ? 'secret' : 'config';
  list.forEach((entry, i) => {
    const path = `services.${t.service}.${key}s[${i}]`;
    const long = isRecord(entry) ? entry : { source: entry };
    const source = text(long.source);
    const name = fileObject(t.state, kind, source);
    if (name === undefined) {
      if (!(source in (kind === 'Secret' ? t.state.project.secrets : t.state.project.configs)))
        lose(t.state, list, i, path, `${key} ${source} is not declared at the top level`);
      return;
    }
    const mount: Record<string, unknown> = {
      [key]: name,
      target: fileTarget(kind, source, long.target),
    };
    if (long.uid !== undefined) mount.uid = Number(long.uid);
    if (long.gid !== undefined) mount.gid = Number(long.gid);
    if (long.mode !== undefined) mount.mode = fileMode(long.mode);
    // Compose's default for a secret is 0444 (compose-spec 09-secrets: world-readable), so a
    // service running as another user reads it; berth's own default is 0600 root (F25).
    else if (kind === 'Secret') mount.mode = '0444';
    for (const k of Object.keys(long))
      if (!['source', 'target', 'uid', 'gid', 'mode'].includes(k))
        lose(t.state, long, k, `${path}.${k}`, 'not a berth mount option');
    t.mounts.push(mount);
  });
}
