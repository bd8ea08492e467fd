import { BerthError } from '../errors.js';
import { blockedByConflicts } from '../plan/plan-format.js';
import type { Plan } from '../plan/plan-types.js';

/**
 * Throws E_CONFLICT (exit 2, apply's "failed to converge") naming every object of `plan` a
 * name conflict blocks, before any engine change (F815). DESIGN.md "Identity and ownership":
 * the holder is reported, never adopted, renamed or removed; an apply that created the rest
 * around it left a half-made project (the network made, the container that joins it not).
 * The one-shot CLI apply, run's partial apply and rollback come through here; the watch does
 * not: under it the rest converges around a blocked object.
 */
export function refuseConflicts(plan: Pick<Plan, 'objects' | 'conflicts'>): void {
  const blocked = blockedByConflicts(plan);
  if (blocked.length === 0) return;
  throw new BerthError(
    'E_CONFLICT',
    `${blocked.map((p) => `${p.key}: ${p.reason ?? 'name conflict'}`).join('; ')}; nothing was changed`,
    {
      object: blocked[0]?.key,
      hint: 'remove or rename what holds the name, or change metadata.name or the project (-p), then apply again',
    },
  );
}
