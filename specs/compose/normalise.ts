import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { copyMergeTags, isRecord, placeKey, placeNode, whereKey, whereNode } from './located.js';
import { isRemoteContext } from '../build/remote-context.js';

/**
 * Brings one service's alternative spellings to one form before merging, and makes its
 * relative host paths absolute against `dir` (the folder of the file that wrote them), so
 * `extends` and `include` across folders keep pointing at the same files:
 * environment/labels/sysctls/extra_hosts lists → mappings, depends_on and networks lists →
 * mappings, `build: DIR` → `{context}`, `env_file: F` → a list, single strings → lists.
 */
export function normaliseService(
  service: Record<string, unknown>,
  dir: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  placeNode(out, whereNode(service));
  copyMergeTags(service, out);
  for (const [key, value] of Object.entries(service)) {
    const normal = normaliseField(key, value, dir);
    // A single value made a list (`env_file: app.env`) is placed where it was written (F240).
    if (Array.isArray(normal) && !Array.isArray(value) && normal.length === 1) {
      placeKey(normal, 0, whereKey(service, key));
      placeNode(normal, whereKey(service, key));
    }
    out[key] = normal;
    placeKey(out, key, whereKey(service, key));
  }
  return out;
}

function normaliseField(key: string, value: unknown, dir: string): unknown {
  switch (key) {
    case 'environment':
    case 'labels':
    case 'sysctls':
    case 'annotations':
      return Array.isArray(value) ? listToMap(value, '=') : value;
    case 'extra_hosts':
      return Array.isArray(value) ? hostsToMap(value) : value;
    case 'depends_on':
    case 'networks':
      return Array.isArray(value) ? namesToMap(value) : value;
    case 'build':
      return normaliseBuild(value, dir);
    case 'env_file':
      // mapItems: each entry keeps its own position for the losses and warnings about it (F240).
      return mapItems(toList(value), (f) => envFileAbsolute(f, dir));
    case 'volumes':
      return Array.isArray(value) ? mapItems(value, (v) => volumeAbsolute(v, dir)) : value;
    case 'extends':
      return normaliseExtends(value, dir);
    case 'dns':
    case 'dns_search':
    case 'tmpfs':
    case 'cap_add':
    case 'cap_drop':
    case 'expose':
      return toList(value);
    default:
      return value;
  }
}

function toList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === null || value === undefined ? [] : [value];
}

function mapItems(list: unknown[], fn: (item: unknown) => unknown): unknown[] {
  const out = list.map(fn);
  list.forEach((_, i) => placeKey(out, i, whereKey(list, i)));
  placeNode(out, whereNode(list));
  return out;
}

function listToMap(list: unknown[], separator: string | RegExp): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  placeNode(map, whereNode(list));
  list.forEach((item, i) => {
    const text = String(item);
    const at = text.search(separator);
    const key = at < 0 ? text : text.slice(0, at);
    map[key] = at < 0 ? null : text.slice(at + 1);
    placeKey(map, key, whereKey(list, i));
  });
  return map;
}

/** `[h:ip, h=ip2]` → `{h: [ip, ip2]}`: a host listed twice keeps every address (compose-go). */
function hostsToMap(list: unknown[]): Record<string, unknown> {
  const map = listToMap(list, /[=:]/);
  const all = new Map<string, string[]>();
  for (const item of list) {
    const text = String(item);
    const at = text.search(/[=:]/);
    if (at >= 0)
      all.set(text.slice(0, at), [...(all.get(text.slice(0, at)) ?? []), text.slice(at + 1)]);
  }
  for (const [host, ips] of all) if (ips.length > 1) map[host] = ips;
  return map;
}

function namesToMap(list: unknown[]): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  placeNode(map, whereNode(list));
  list.forEach((item, i) => {
    map[String(item)] = null;
    placeKey(map, String(item), whereKey(list, i));
  });
  return map;
}

function normaliseBuild(value: unknown, dir: string): unknown {
  if (typeof value === 'string') return { context: contextPath(value, dir) };
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {
    ...value,
    context: contextPath(String(value.context ?? '.'), dir),
  };
  for (const k of Object.keys(value)) placeKey(out, k, whereKey(value, k));
  placeNode(out, whereNode(value));
  copyMergeTags(value, out);
  if (Array.isArray(value.args)) {
    out.args = listToMap(value.args, '=');
  }
  return out;
}

/** A build context: a folder made absolute, a remote one (git, http) kept as written (compose-go). */
function contextPath(context: string, dir: string): string {
  return isRemoteContext(context) ? context : hostPath(context, dir);
}

function envFileAbsolute(entry: unknown, dir: string): unknown {
  if (typeof entry === 'string') return hostPath(entry, dir);
  if (isRecord(entry) && typeof entry.path === 'string') {
    const out = { ...entry, path: hostPath(entry.path, dir) };
    placeNode(out, whereNode(entry));
    return out;
  }
  return entry;
}

function normaliseExtends(value: unknown, dir: string): unknown {
  if (typeof value === 'string') return { service: value };
  if (isRecord(value) && typeof value.file === 'string') {
    const out = { ...value, file: hostPath(value.file, dir) };
    placeNode(out, whereNode(value));
    for (const k of Object.keys(value)) placeKey(out, k, whereKey(value, k));
    return out;
  }
  return value;
}

function volumeAbsolute(entry: unknown, dir: string): unknown {
  if (typeof entry === 'string') {
    const [source, ...rest] = splitVolume(entry);
    if (rest.length === 0 || !source || !looksLikePath(source)) return entry;
    return [hostPath(source, dir), ...rest].join(':');
  }
  if (isRecord(entry) && entry.type === 'bind' && typeof entry.source === 'string') {
    const out = { ...entry, source: hostPath(entry.source, dir) };
    for (const k of Object.keys(entry)) placeKey(out, k, whereKey(entry, k));
    placeNode(out, whereNode(entry));
    return out;
  }
  return entry;
}

/**
 * Splits a short volume spec `SRC:DST[:MODE]` at its colons, keeping `${A:-b}` whole and
 * a Windows drive letter (`C:\x`) in the source.
 */
export function splitVolume(spec: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '$' && spec[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0 && !(current.length === 1 && /[A-Za-z]/.test(current))) {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
}

/** A volume source that is a host path rather than a volume name (Compose's rule). */
export function looksLikePath(source: string): boolean {
  return /^[./~]/.test(source) || source.startsWith('$') || source.includes('/');
}

/**
 * An absolute host path for `path` written in a file in `dir`; `~` is the home folder; a
 * path that starts with a variable is kept as written (it is resolved by berth at apply).
 */
export function hostPath(path: string, dir: string): string {
  if (path.startsWith('$')) return path;
  if (path === '~' || path.startsWith('~/')) return homedir() + path.slice(1);
  if (isAbsolute(path)) return path;
  const absolute = resolve(dir, path);
  writtenRelative.add(absolute);
  return absolute;
}

/**
 * Absolute paths that a Compose file wrote relative: import writes them relative to its
 * output folder again, so the manifests move with the project.
 */
export const writtenRelative = new Set<string>();
