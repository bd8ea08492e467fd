import type { ObjectKey } from '../../specs/model.js';
import { needsWork } from '../executor/execute.js';
import type { ObjectPlan, Plan } from '../plan/plan-types.js';

/**
 * The part of a full plan that reconciles `keys`: their own work plus, transitively, the
 * work of whatever they wait for, and the restart of a dependant after a dependency of theirs
 * is replaced. Every other object stays in the plan (the executor looks
 * up dependsOn targets there) but is marked as having nothing to do. Pure.
 */
export function selectPlan(full: Plan, keys: Iterable<ObjectKey>): Plan {
  const byKey = new Map(full.objects.map((p) => [p.key, p] as const));
  const chosen = new Set<ObjectKey>();
  const visit = (key: ObjectKey) => {
    const p = byKey.get(key);
    if (!p || chosen.has(key) || !needsWork(p)) return;
    chosen.add(key);
    for (const dep of p.after) visit(dep);
  };
  for (const key of keys) visit(key);
  // A dependant that restarts after a chosen dependency is replaced (dependsOn restart: true)
  // goes with it: planned again later, the dependency is no longer being replaced, and the
  // restart would be lost.
  for (const p of full.objects)
    if (
      p.container?.situation.dependencyRestart !== undefined &&
      p.after.some((k) => chosen.has(k) && byKey.get(k)?.container?.replaceCause)
    )
      visit(p.key);
  return { ...full, objects: full.objects.map((p) => (chosen.has(p.key) ? p : idle(p))) };
}

function idle(p: ObjectPlan): ObjectPlan {
  return { ...p, steps: [], inSync: true };
}

/** Keys of the objects that wait for `key` (to look at again once `key` has changed). */
export function dependentsOf(full: Plan, key: ObjectKey): ObjectKey[] {
  return full.objects.filter((p) => p.after.includes(key)).map((p) => p.key);
}
