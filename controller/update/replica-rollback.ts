import type { ContainerObject, DesiredObject, ObjectKey } from '../../specs/model.js';
import type { Plan } from '../plan/plan-types.js';
import { updatePolicy } from './update-policy.js';

/** What this module reads of the executor's outcome of an object (executor/execute.ts). */
export interface ReplicaOutcome {
  key: ObjectKey;
  outcome: 'converged' | 'held' | 'failed' | 'skipped';
  ops: string[];
  message?: string;
  code?: string;
}

/** The message of a replica update whose gate failed and was rolled back (run-object.ts). */
const ROLLED_BACK = 'update rolled back';

/**
 * Replicas an apply replaced before a later replica of the same container failed its gate
 * under `onFailure: rollback` (issue 14: the whole update of that container is rolled back,
 * so all replicas run the old spec afterwards). A replica counts as replaced when it
 * converged through the update path (its ops include `gate`). Keys by container, in replica
 * order, with the replica whose gate failed. Pure.
 */
export function replicasToTakeBack(
  desired: readonly DesiredObject[],
  outcomes: readonly ReplicaOutcome[],
): { keys: ObjectKey[]; failed: ObjectKey }[] {
  const byKey = new Map(outcomes.map((o) => [o.key, o]));
  const groups = new Map<string, ContainerObject[]>();
  for (const o of desired) {
    if (o.kind !== 'Container' || !o.replica) continue;
    groups.set(o.replica.of, [...(groups.get(o.replica.of) ?? []), o]);
  }
  const result: { keys: ObjectKey[]; failed: ObjectKey }[] = [];
  for (const replicas of groups.values()) {
    const sorted = [...replicas].sort((a, b) => a.replica!.index - b.replica!.index);
    const failed = sorted.find((r) => {
      const outcome = byKey.get(`Container/${r.name}`);
      return outcome?.outcome === 'failed' && outcome.message?.startsWith(ROLLED_BACK);
    });
    if (!failed || updatePolicy(failed.spec).onFailure !== 'rollback') continue;
    const keys = sorted
      .map((r): ObjectKey => `Container/${r.name}`)
      .filter((k) => {
        const outcome = byKey.get(k);
        return outcome?.outcome === 'converged' && outcome.ops.includes('gate');
      });
    if (keys.length) result.push({ keys, failed: `Container/${failed.name}` });
  }
  return result;
}

/**
 * The plan that takes those replicas back: the plan of the previous desired set (which
 * replaces each of them through the same gated update path, one replica at a time), reduced
 * to their entries. Pure.
 */
export function takeBackPlan(previous: Plan, keys: ReadonlySet<ObjectKey>): Plan {
  return { ...previous, objects: previous.objects.filter((p) => keys.has(p.key)) };
}

/**
 * The outcomes after a take-back: each replica taken back is failed (the update of its
 * container did not go through), saying whether it is back on the previous spec. Pure.
 */
export function mergeTakeBack<T extends ReplicaOutcome>(
  outcomes: readonly T[],
  back: readonly ReplicaOutcome[],
  failedOf: ReadonlyMap<ObjectKey, ObjectKey>,
): T[] {
  const byKey = new Map(back.map((o) => [o.key, o]));
  return outcomes.map((o) => {
    const again = byKey.get(o.key);
    if (!again) return o;
    const cause = `the update of ${failedOf.get(o.key)} failed its gate`;
    const message =
      again.outcome === 'converged'
        ? `update rolled back: ${cause}; back on the previous spec`
        : `update not rolled back: ${cause}; taking it back failed: ${again.message ?? again.outcome}`;
    return { ...o, outcome: 'failed', ops: [...o.ops, ...again.ops], message, code: 'E_CONVERGE' };
  });
}
