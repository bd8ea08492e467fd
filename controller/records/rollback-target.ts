import { BerthError } from '../errors.js';
import { desiredSetOf } from './history-fold.js';
import type { HistoryEntry } from './record-types.js';

/**
 * The apply `berth rollback [APPLY]` goes back to (DESIGN.md "Updates and rollback": the
 * desired set an earlier apply *converged* to). With APPLY: the entry with that id (or whose
 * commit starts with that short sha, 7+ characters: the newest such apply that converged), refused unless it converged — a failed or
 * interrupted apply's set never ran. Without: when the last apply did not converge, the newest
 * one that did (the last good state, as after a failed deploy); else the newest converged apply
 * before it whose set differs from the last one's (as `kubectl rollout undo` takes the previous
 * revision: re-applying an unchanged folder makes no new revision); after a `down`, the newest
 * apply that converged (the set the down removed). Only entries that kept
 * their desired set qualify. Throws E_UNKNOWN_OBJECT when there is none, E_STATE for an APPLY
 * that did not converge (F83: rollback went back to a failed apply and failed again).
 */
export function rollbackTarget(
  entries: HistoryEntry[],
  target: string | undefined,
  project: string,
): HistoryEntry {
  const usable = entries.filter((e) => e.objects && e.objects.length > 0 && e.id);
  const converged = usable.filter((e) => e.outcome === 'converged');
  if (target) {
    const names = (e: HistoryEntry) =>
      e.id === target || (target.length >= 7 && e.commit?.startsWith(target) === true);
    // A commit may have several applies (a failed one, then its rollback): the newest that ran.
    const found = converged.find(names) ?? usable.find(names);
    if (found && found.outcome === 'converged') return found;
    if (found)
      throw new BerthError(
        'E_STATE',
        `apply ${found.id} of project ${project} ${found.outcome === 'failed' ? 'failed' : `was ${found.outcome}`}: its set never ran, so there is nothing to go back to`,
        { hint: lastGoodHint(usable, found) },
      );
    throw new BerthError(
      'E_UNKNOWN_OBJECT',
      `project ${project} has no apply ${target} to roll back to`,
      {
        hint: 'berth history shows the ids (only the last 10 applies keep their desired set)',
      },
    );
  }
  // The last apply that kept a set: entries without one (a `restart`, which changes no set)
  // say nothing of what runs (F108: after a restart, rollback went back to what ran).
  const last = usable[0];
  // After a `down` (the newest entry), what it removed is what to bring back: the set the
  // newest converged apply left running until then (F465: rollback skipped it).
  const afterDown = entries[0]?.down === true;
  const previous =
    last?.outcome === 'converged' && !afterDown
      ? converged.find((e) => e !== last && desiredSetOf(e) !== desiredSetOf(last))
      : converged[0];
  if (!previous)
    throw new BerthError(
      'E_UNKNOWN_OBJECT',
      `project ${project} has no earlier apply to roll back to (none before the last converged with another set)`,
      { hint: 'berth history lists the applies berth recorded' },
    );
  return previous;
}

/**
 * The apply to name instead of `failed`: the newest one before it that converged, the state the
 * failed apply left (F807: the newest converged one was named, often the current apply itself,
 * which a rollback to changes nothing). `usable` is newest first.
 */
function lastGoodHint(usable: HistoryEntry[], failed: HistoryEntry): string {
  const good = usable.slice(usable.indexOf(failed) + 1).find((e) => e.outcome === 'converged');
  return good
    ? `the last apply that converged before it is ${good.id}: berth rollback ${good.id}`
    : `no apply converged before it; berth history lists the applies berth recorded`;
}
