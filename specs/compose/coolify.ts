import { basename, isAbsolute, relative } from 'node:path';
import { isRecord, whereKey } from './located.js';
import { bindMountObject } from './shared.js';
import { addObject, berthName, lose, whereIn } from './state.js';
import type { ImportState } from './state.js';
import { fileMode, flag, text } from './values.js';

/**
 * Coolify's extensions of Compose, which its service templates use and which Coolify strips
 * before it runs docker compose (coollabsio/coolify: `stripCoolifyCustomFields` in
 * bootstrap/helpers/docker.php lists them; bootstrap/helpers/parsers.php reads them;
 * app/Models/LocalFileVolume.php acts on them):
 *
 * - `content:` on a bind entry: Coolify writes that text to the bind's host path — verbatim,
 *   no variable substituted (`saveStorageOnServer` base64-copies the YAML string) — runs
 *   `chmod +x` on it, and bind-mounts it; an empty `content: ""` only `touch`es the file.
 * - `isDirectory` / `is_directory: true`: the bind's host folder is created (`mkdir -p`).
 * - `exclude_from_hc: true` on a service: Coolify leaves it out of the app's aggregated status.
 *
 * `mode:` beside `content:` is no Coolify key (Coolify turns a long bind entry into
 * `SOURCE:TARGET`, dropping it): templates write it for the file's mode (`'0755'` on an
 * entrypoint script), which is what Coolify's `chmod +x` gives every such file anyway.
 */

/** The service a mount is carried for: what carryContent needs of mounts.ts's MountTarget. */
interface MountTarget {
  state: ImportState;
  mounts: Record<string, unknown>[];
}

/** A Compose service being converted (what service-work.ts's ServiceWork holds). */
interface ServiceAt {
  state: ImportState;
  svc: Record<string, unknown>;
  service: string;
}

/** Keys of a long-form volume entry Coolify reads. */
const DIRECTORY_KEYS = ['isDirectory', 'is_directory'];

/** Mode of a file Coolify writes from `content:`: written 0644 as root, then `chmod +x`. */
const COOLIFY_FILE_MODE = '0755';

/** Keys of a bind entry with `content:` that are carried; others are named as losses. */
const CONTENT_ENTRY_KEYS = new Set([
  'type',
  'source',
  'target',
  'read_only',
  'content',
  'mode',
  'consistency',
  ...DIRECTORY_KEYS,
]);

/** The long-form volume entries of every service that carry Coolify's `content:`. */
export function contentEntries(
  services: Record<string, Record<string, unknown>>,
): Record<string, unknown>[] {
  return Object.values(services).flatMap((svc) =>
    (Array.isArray(svc.volumes) ? svc.volumes : []).filter(
      (v): v is Record<string, unknown> => isRecord(v) && v.content !== undefined,
    ),
  );
}

/** Whether Coolify creates the bind's host folder (`isDirectory` / `is_directory: true`). */
export function coolifyFolder(entry: Record<string, unknown>): boolean {
  return DIRECTORY_KEYS.some((k) => flag(entry[k]) === true);
}

/**
 * Why `key` of a long-form volume entry, not a Compose mount key, is not carried; undefined
 * for `isDirectory`/`is_directory`, carried by how the entry was mounted (a bind's folder is
 * created; a named volume is a folder already). `content:` and `mode:` of a bind are carried
 * by carryContent before this is asked.
 */
export function extraKeyWhy(entry: Record<string, unknown>, key: string): string | undefined {
  // `content:` left empty (null) is no content to Coolify either.
  if (DIRECTORY_KEYS.includes(key) || (key === 'content' && entry.content === null))
    return undefined;
  if (key !== 'content') return 'not a berth mount option';
  return entry.type === 'bind'
    ? 'Coolify writes no file into a folder (isDirectory: true)'
    : 'Coolify writes content: only for a bind';
}

/**
 * A bind entry with Coolify's `content:` → a Config holding that text, mounted at the target
 * with the template's `mode` (else 0755, as Coolify's `chmod +x` leaves it); `content: ""` →
 * a BindMount of type FileOrCreate (Coolify `touch`es an empty, writable file: a database
 * the app fills). Returns false, carrying nothing, for an entry without `content:` (or with a
 * folder's `isDirectory: true`, where Coolify writes no file).
 *
 * Every `$` of the text is doubled in the Config: Coolify substitutes no variable in it, and
 * templates rely on that (PL/pgSQL `$$`, shell `$VAR` and `${VAR}` read at run time, nginx
 * templates the image fills with envsubst, otel's `${env:X}`), while berth interpolates every
 * manifest string. A Config is mounted read-only where Coolify's file is writable: said as a
 * warning — what the file asks for, its text, is all there; a container that writes back to
 * its own seeded config file is rare.
 */
export function carryContent(
  t: MountTarget,
  entry: Record<string, unknown>,
  path: string,
): boolean {
  // With a folder's `isDirectory: true` Coolify writes no file: extraKeyWhy names the loss.
  if (entry.content === undefined || entry.content === null || coolifyFolder(entry)) return false;
  const content = text(entry.content);
  const mount = content === '' ? emptyFile(t, entry, path) : contentConfig(t, entry, path, content);
  for (const k of Object.keys(entry))
    if (!CONTENT_ENTRY_KEYS.has(k))
      lose(t.state, entry, k, `${path}.${k}`, 'not carried for a file written from content:');
  t.mounts.push(mount);
  return true;
}

function emptyFile(t: MountTarget, entry: Record<string, unknown>, path: string) {
  if (entry.mode !== undefined)
    lose(t.state, entry, 'mode', `${path}.mode`, 'berth sets no mode on a host file it creates');
  const mount: Record<string, unknown> = {
    bindMount: bindMountObject(t.state, text(entry.source), path, 'file'),
    target: text(entry.target),
  };
  if (flag(entry.read_only) === true) mount.readOnly = true;
  return mount;
}

function contentConfig(
  t: MountTarget,
  entry: Record<string, unknown>,
  path: string,
  content: string,
): Record<string, unknown> {
  const source = asWritten(t.state, text(entry.source));
  const name = berthName(t.state, 'configs', path, basename(source) || 'content');
  addObject(t.state, {
    kind: 'Config',
    name,
    spec: { content: content.replaceAll('$', () => '$$') },
    source: `${path}.content`,
    from: whereKey(entry, 'content'),
    notes: [
      `Coolify writes this to ${source} and bind-mounts it; every $ is doubled: berth, like Coolify, substitutes no variable in it`,
    ],
  });
  const mode = fileMode(entry.mode);
  if (entry.mode !== undefined && mode === undefined)
    lose(t.state, entry, 'mode', `${path}.mode`, `${text(entry.mode)} is not an octal file mode`);
  if (flag(entry.read_only) !== true) warnReadOnly(t.state, entry, path, source);
  return { config: name, target: text(entry.target), mode: mode ?? COOLIFY_FILE_MODE };
}

/** A bind source as the Compose file wrote it: relative to the project folder when inside it. */
function asWritten(state: ImportState, source: string): string {
  const rel = relative(state.project.dir, source);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `./${rel}` : source;
}

function warnReadOnly(
  state: ImportState,
  entry: Record<string, unknown>,
  path: string,
  source: string,
): void {
  state.warnings.push({
    where: whereIn(state, entry, 'content'),
    message: `${path}.content: carried as a Config, which is mounted read-only; Coolify mounts the file it writes at ${source} writable (a container that writes to ${text(entry.target)} fails)`,
  });
}

/**
 * `exclude_from_hc: true` of a service: Coolify's UI leaves the service out of the app's status
 * (app/Traits/CalculatesExcludedStatus.php); the container runs the same. Not a loss: berth
 * shows every container's own state, and nothing about the container changes.
 */
export function excludeFromHealthStatus({ state, svc, service }: ServiceAt): void {
  state.warnings.push({
    where: whereIn(state, svc, 'exclude_from_hc'),
    message: `services.${service}.exclude_from_hc: Coolify's hint to leave the service out of the app's status is not carried (it changes nothing in the container; berth status shows each container's own state)`,
  });
}
