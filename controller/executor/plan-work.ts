import type { ObjectPlan } from '../plan/plan-types.js';

// What a plan or an outcome says about work, without the executor: `berth apply` asks these
// before it loads the executor and its machines, which a no-op apply never needs.

/** Objects that need anything done: steps to run, or drift to look at again. */
export function needsWork(p: ObjectPlan): boolean {
  return p.steps.length > 0 || !p.inSync;
}

/** A container `restartPolicy: Never` keeps exited after it failed (no back-off to wait out). */
export function heldByNever(o: { outcome: string; retryAfterMs?: number }): boolean {
  return o.outcome === 'held' && o.retryAfterMs === undefined;
}

/**
 * Whether an object ended as the run may leave it: converged, or held only for a restart
 * back-off (the controller comes back to it). A container that `restartPolicy: Never` keeps
 * exited after a failure is not: it is not as declared, so apply does not say converged
 * while status says not in sync (FINDINGS F23).
 */
export function settledAsDeclared(o: { outcome: string; retryAfterMs?: number }): boolean {
  return o.outcome === 'converged' || (o.outcome === 'held' && o.retryAfterMs !== undefined);
}
