import { canonicalJSON } from '../../specs/canonical-json.js';
import type { HistoryEntry } from './record-types.js';
import { ROLLBACK_DEPTH } from './record-types.js';

/**
 * The history after `entry` is added to `earlier` (both newest first), at most `limit` long,
 * and the entry that stands for this apply. An apply that repeats the newest entry — see
 * {@link repeats} — is no new entry: it is counted on that entry (`repeats`), so re-running
 * `apply` on an unchanged folder, or restarting `watch`, takes none of the rollback slots
 * (F275: ten of them left `berth rollback` nothing to go back to). Any other apply is its own
 * entry, even one the engine needed nothing for (a new commit, another `--prune`). The
 * desired set is kept on the newest {@link ROLLBACK_DEPTH} entries that have one. Pure.
 */
export function addToHistory(
  earlier: readonly HistoryEntry[],
  entry: HistoryEntry,
  options: { limit: number; repeatable: boolean },
): { entries: HistoryEntry[]; recorded: HistoryEntry } {
  const newest = earlier[0];
  if (newest && options.repeatable && repeats(entry, newest)) {
    const count = (newest.repeats?.count ?? 0) + 1;
    const recorded: HistoryEntry = { ...newest, repeats: { count, lastTime: entry.time } };
    return { entries: withinDepth([recorded, ...earlier.slice(1)]), recorded };
  }
  const entries = [entry, ...earlier].sort((a, b) => b.time - a.time).slice(0, options.limit);
  return { entries: withinDepth(entries), recorded: entry };
}

/**
 * True when `entry`, a plain apply of its source (the caller says so: never a rollback or a
 * restart), is the apply `newest` records made again with nothing to do: both converged, it
 * changed nothing on the engine, and it has the same message, sources, commit, `--prune`,
 * resolved desired set and images as `newest`, and is not older.
 */
export function repeats(entry: HistoryEntry, newest: HistoryEntry): boolean {
  const c = entry.counts;
  return (
    entry.outcome === 'converged' &&
    newest.outcome === 'converged' &&
    entry.time >= newest.time &&
    c.created + c.changed + c.deleted + c.failed === 0 &&
    entry.message === newest.message &&
    Boolean(entry.prune) === Boolean(newest.prune) &&
    (entry.commit ?? '') === (newest.commit ?? '') &&
    canonicalJSON(entry.sources) === canonicalJSON(newest.sources) &&
    Boolean(entry.objects?.length) &&
    desiredSetOf(entry) === desiredSetOf(newest) &&
    imagesOf(entry) === imagesOf(newest)
  );
}

/**
 * Keeps `objects` and `images` on the newest ROLLBACK_DEPTH entries that have a set; older
 * ones drop them. An entry without a set (a restart, an invalid apply) takes no slot.
 */
function withinDepth(entries: HistoryEntry[]): HistoryEntry[] {
  let kept = 0;
  return entries.map((e) => {
    if (!e.objects?.length) return e;
    if (kept++ < ROLLBACK_DEPTH) return e;
    const { objects: _dropped, images: _images, ...rest } = e;
    return rest;
  });
}

/**
 * The entries whose desired set history keeps (the newest ROLLBACK_DEPTH that have one):
 * what `rollback` can go back to, and so whose images retention keeps.
 */
export function entriesInDepth(entries: readonly HistoryEntry[]): HistoryEntry[] {
  return entries.filter((e) => e.objects?.length).slice(0, ROLLBACK_DEPTH);
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

function imagesOf(entry: HistoryEntry): string {
  return (entry.images ?? [])
    .map((i) => canonicalJSON(i))
    .sort()
    .join('\n');
}

/**
 * What `history` and the web view say of an entry: its message and the applies that repeated
 * it (`rollback to mi5k…; applied again 12× with no change, last at 2026-12-01T10:00:00Z`);
 * undefined when neither.
 */
export function historyMessage(entry: HistoryEntry): string | undefined {
  const { message, repeats: again } = entry;
  const last = again && new Date(Math.floor(again.lastTime / 1000) * 1000).toISOString();
  const note = last && `applied again ${again.count}× with no change, last at ${last}`;
  return [message, note?.replace('.000Z', 'Z')].filter(Boolean).join('; ') || undefined;
}
