import type { ContainerObject, DesiredObject, ObjectKey } from '../../specs/model.js';
import type { ObjectPlan } from '../plan/plan-types.js';

/**
 * Replicas of one container are updated one at a time (issue 14: "`replicas > 1`: one replica
 * at a time, the others keep serving"). Each replica whose plan entry may take the update path
 * (decided now, or possibly once this run's pull or build is done) waits for the one before it,
 * by index: it starts only after that one passed its gate and took its name. A replica whose
 * gate fails is rolled back on its own (DESIGN.md) and the executor skips the replicas after it,
 * so the update stops there with the rest still on the old version. Pure; other plans pass
 * through unchanged.
 */
export function chainReplicaUpdates(
  plans: ObjectPlan[],
  desired: readonly DesiredObject[],
): ObjectPlan[] {
  const previousOf = new Map<ObjectKey, string>();
  for (const replicas of replicaGroups(plans, desired)) {
    replicas.forEach((p, i) => {
      const before = replicas[i - 1];
      if (before) previousOf.set(p.key, before.name);
    });
  }
  return plans.map((p) => {
    const previous = previousOf.get(p.key);
    return previous ? afterReplica(p, previous) : p;
  });
}

/** Plans of updating replicas, grouped by the container they were declared as, by index. */
function replicaGroups(plans: ObjectPlan[], desired: readonly DesiredObject[]): ObjectPlan[][] {
  const replicaOf = new Map<string, ContainerObject>();
  for (const o of desired) if (o.kind === 'Container' && o.replica) replicaOf.set(o.name, o);
  const groups = new Map<string, { index: number; plan: ObjectPlan }[]>();
  for (const p of plans) {
    const declared = p.kind === 'Container' ? replicaOf.get(p.name) : undefined;
    if (!declared?.replica || !mayUpdate(p)) continue;
    const group = groups.get(declared.replica.of) ?? [];
    group.push({ index: declared.replica.index, plan: p });
    groups.set(declared.replica.of, group);
  }
  return [...groups.values()].map((g) => g.sort((a, b) => a.index - b.index).map((x) => x.plan));
}

/** The replica takes the update path, or may once an image of this run is there. */
function mayUpdate(p: ObjectPlan): boolean {
  const entry = p.container;
  if (!entry) return false;
  const running = entry.situation.observed === 'running' && entry.situation.desired === 'running';
  return entry.update === true || (running && entry.imageFromRun);
}

function afterReplica(p: ObjectPlan, previous: string): ObjectPlan {
  const key: ObjectKey = `Container/${previous}`;
  const [first, ...rest] = p.steps;
  const steps =
    first && p.container?.update
      ? [{ ...first, cause: `${first.cause}; one replica at a time, after ${previous}` }, ...rest]
      : p.steps;
  return {
    ...p,
    after: [...new Set([...p.after, key])],
    steps,
    reason: steps[0]?.cause ?? p.reason,
  };
}
