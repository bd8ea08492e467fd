import {
  isRecord,
  mergeTagOf,
  mergeTagged,
  placeKey,
  placeNode,
  whereKey,
  whereNode,
} from './located.js';

/** Sequences whose later value replaces the earlier (Compose spec, "Merge and override"). */
const REPLACED = new Set(['command', 'entrypoint', 'test', 'dns_opt']);
/** Sequences merged by their target (container path) rather than appended. */
const BY_TARGET = new Set(['volumes', 'devices', 'secrets', 'configs']);

/**
 * Merges Compose service (or top-level) mappings the way `docker compose -f a -f b` does:
 * mappings merge key by key, `command`/`entrypoint`/`healthcheck.test` are replaced,
 * volumes, devices, secrets and configs merge by target, other sequences are appended
 * without duplicates; a key `over` tags `!override` replaces, one it tags `!reset` is taken
 * out (F177). Both inputs must already be normalised (see normaliseService).
 * Returns a new tree; positions of every key come from the side that supplied it.
 */
export function mergeTrees(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  placeNode(out, whereNode(over) ?? whereNode(base));
  for (const [key, value] of Object.entries(base)) {
    out[key] = value;
    placeKey(out, key, whereKey(base, key));
  }
  for (const [key, value] of Object.entries(over)) {
    const before = out[key];
    out[key] = mergeTagOf(over, key) === 'override' ? value : mergeValue(key, before, value);
    placeKey(out, key, whereKey(over, key));
  }
  for (const [key, tag] of mergeTagged(over)) if (tag === 'reset') delete out[key];
  return out;
}

function mergeValue(key: string, before: unknown, after: unknown): unknown {
  if (isRecord(before) && isRecord(after)) return mergeTrees(before, after);
  if (Array.isArray(before) && Array.isArray(after) && !REPLACED.has(key)) {
    return BY_TARGET.has(key) ? mergeByTarget(before, after) : appendUnique(before, after);
  }
  return after;
}

function appendUnique(before: unknown[], after: unknown[]): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<string>();
  const add = (list: unknown[]) =>
    list.forEach((item, i) => {
      const id = JSON.stringify(item);
      if (seen.has(id)) return;
      seen.add(id);
      placeKey(out, out.length, whereKey(list, i));
      out.push(item);
    });
  add(before);
  add(after);
  placeNode(out, whereNode(after) ?? whereNode(before));
  return out;
}

function mergeByTarget(before: unknown[], after: unknown[]): unknown[] {
  const targets = new Map<string, number>();
  const out: unknown[] = [];
  const add = (list: unknown[]) =>
    list.forEach((item, i) => {
      const target = targetOf(item);
      const at = target === undefined ? undefined : targets.get(target);
      const index = at ?? out.length;
      out[index] = item;
      placeKey(out, index, whereKey(list, i));
      if (target !== undefined) targets.set(target, index);
    });
  add(before);
  add(after);
  placeNode(out, whereNode(after) ?? whereNode(before));
  return out;
}

/** The container-side path of a volume/device/secret/config entry, for merging. */
function targetOf(item: unknown): string | undefined {
  if (typeof item === 'string') {
    const parts = item.split(':');
    return parts.length >= 2 ? parts[1] : parts[0];
  }
  if (isRecord(item)) return String(item.target ?? item.source ?? '');
  return undefined;
}
