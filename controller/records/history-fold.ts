import { canonicalJSON } from '../../specs/canonical-json.js';
import type { HistoryEntry } from './record-types.js';
import { ROLLBACK_DEPTH } from './record-types.js';

/**
 * The history after `entry` is added to `earlier` (both newest first), at most `limit` long.
 * An apply that changed nothing — it converged, created, changed and deleted nothing, and its
 * set is the newest entry's — is no new entry: it is folded into that entry as a repeat (F275:
 * every re-run of `apply` and every `watch` start took one of the rollback slots, until
 * rollback had nothing to go back to). The desired set is kept on the newest entries of
 * {@link ROLLBACK_DEPTH} distinct sets, so an apply that only repaired drift takes no slot
 * either. Returns the history and the entry that stands for this apply. Pure.
 */
export function addToHistory(
  earlier: HistoryEntry[],
  entry: HistoryEntry,
  limit: number,
): { entries: HistoryEntry[]; recorded: HistoryEntry } {
  const newest = earlier[0];
  if (newest && isRepeatOf(entry, newest)) {
    const count = (newest.repeats?.count ?? 0) + 1;
    const recorded: HistoryEntry = { ...newest, repeats: { count, lastTime: entry.time } };
    return { entries: keepSets([recorded, ...earlier.slice(1)]), recorded };
  }
  const entries = [entry, ...earlier].sort((a, b) => b.time - a.time).slice(0, limit);
  return { entries: keepSets(entries), recorded: entry };
}

function isRepeatOf(entry: HistoryEntry, newest: HistoryEntry): boolean {
  const c = entry.counts;
  return (
    entry.outcome === 'converged' &&
    newest.outcome === 'converged' &&
    entry.time >= newest.time &&
    c.created + c.changed + c.deleted + c.failed === 0 &&
    entry.objects !== undefined &&
    newest.objects !== undefined &&
    desiredSetOf(entry) === desiredSetOf(newest)
  );
}

/** Keeps `objects`/`images` on the newest entries of ROLLBACK_DEPTH distinct sets only. */
function keepSets(entries: HistoryEntry[]): HistoryEntry[] {
  const seen = new Set<string>();
  return entries.map((e) => {
    if (!e.objects) return e;
    const set = desiredSetOf(e);
    if (seen.has(set) || seen.size < ROLLBACK_DEPTH) {
      seen.add(set);
      return e;
    }
    const { objects: _dropped, images: _images, ...rest } = e;
    return rest;
  });
}

const sets = new WeakMap<HistoryEntry, string>();

/** The desired set of an entry, comparable across entries (object order aside). */
export function desiredSetOf(entry: HistoryEntry): string {
  let set = sets.get(entry);
  if (set === undefined) {
    set = (entry.objects ?? [])
      .map((o) => canonicalJSON(o))
      .sort()
      .join('\n');
    sets.set(entry, set);
  }
  return set;
}
