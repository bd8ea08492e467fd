import { BerthError } from '../errors.js';
import type { HistoryEntry } from './record-types.js';

/**
 * The apply `berth rollback [APPLY]` goes back to (DESIGN.md "Updates and rollback"): the one
 * with that id (or whose commit starts with that short sha, 7+ characters), else the newest one
 * before the last apply. Only the applies that kept their desired set qualify. Throws
 * E_UNKNOWN_OBJECT when there is none.
 */
export function rollbackTarget(
  entries: HistoryEntry[],
  target: string | undefined,
  project: string,
): HistoryEntry {
  const usable = entries.filter((e) => e.objects && e.objects.length > 0 && e.id);
  if (target) {
    const found = usable.find(
      (e) => e.id === target || (target.length >= 7 && e.commit?.startsWith(target)),
    );
    if (found) return found;
    throw new BerthError(
      'E_UNKNOWN_OBJECT',
      `project ${project} has no apply ${target} to roll back to`,
      {
        hint: 'berth history shows the ids (only the last 10 applies keep their desired set)',
      },
    );
  }
  const previous = usable.find((e) => e !== entries[0]);
  if (!previous)
    throw new BerthError(
      'E_UNKNOWN_OBJECT',
      `project ${project} has no earlier apply to roll back to`,
      {
        hint: 'berth history lists the applies berth recorded',
      },
    );
  return previous;
}
