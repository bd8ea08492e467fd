import { BerthError } from '../errors.js';
import { blockedByConflicts } from '../plan/plan-format.js';
import type { Plan } from '../plan/plan-types.js';
import type { ObjectOutcome } from '../executor/execute.js';

/**
 * Throws E_CONFLICT (exit 2, apply's "failed to converge") naming every object of `plan` a
 * name conflict blocks, before any engine change (F815). DESIGN.md "Identity and ownership":
 * the holder is reported, never adopted, renamed or removed; an apply that created the rest
 * around it left a half-made project (the network made, the container that joins it not).
 * The one-shot CLI apply, run's partial apply and rollback come through here; the watch does
 * not: under it the rest converges around a blocked object.
 */
export function refuseConflicts(plan: Pick<Plan, 'objects' | 'conflicts'>): void {
  const refusal = conflictRefusal(plan);
  if (refusal) throw refusal.error;
}

/**
 * The refusal {@link refuseConflicts} throws, with the blocked objects as failed outcomes
 * (code E_CONFLICT, no operation), so that apply records the refused set as a failed apply:
 * `status` then compares the engine with it and says what is not in sync (F850: it compared
 * with the set before and said "in sync"). Undefined when nothing is blocked.
 */
export function conflictRefusal(
  plan: Pick<Plan, 'objects' | 'conflicts'>,
): { error: BerthError; outcomes: ObjectOutcome[] } | undefined {
  const blocked = blockedByConflicts(plan);
  if (blocked.length === 0) return undefined;
  const error = new BerthError(
    'E_CONFLICT',
    `${blocked.map((p) => `${p.key}: ${p.reason ?? 'name conflict'}`).join('; ')}; nothing was changed`,
    {
      object: blocked[0]?.key,
      hint: 'remove or rename what holds the name, or change metadata.name or the project (-p), then try again',
    },
  );
  const outcomes = blocked.map((p): ObjectOutcome => ({
    key: p.key,
    outcome: 'failed',
    ops: [],
    message: p.reason ?? 'name conflict',
    code: 'E_CONFLICT',
  }));
  return { error, outcomes };
}
