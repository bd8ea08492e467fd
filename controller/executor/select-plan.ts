import type { ObjectKey } from '../../specs/model.js';
import { needsWork } from './plan-work.js';
import type { ObjectPlan, Plan } from '../plan/plan-types.js';

export interface SelectOptions {
  /**
   * Nothing outside the selection runs, not even a container whose image the selection pulls
   * or builds (the executor otherwise looks at every container of a refreshed image again):
   * `berth run`'s dependencies, where the container run from must not be created (F269).
   * The watch leaves it unset: a rebuilt image recreates the containers that run it.
   */
  alone?: boolean;
}

/**
 * The part of a full plan that reconciles `keys`: their own work plus, transitively, the
 * work of whatever they wait for, and the restart of a dependant after a dependency of theirs
 * is replaced. Every other object stays in the plan (the executor looks
 * up dependsOn targets there) but is marked as having nothing to do. Pure.
 */
export function selectPlan(
  full: Plan,
  keys: Iterable<ObjectKey>,
  options: SelectOptions = {},
): Plan {
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
  const idle = (p: ObjectPlan): ObjectPlan =>
    options.alone
      ? { ...p, steps: [], inSync: true, after: [] }
      : { ...p, steps: [], inSync: true };
  return { ...full, objects: full.objects.map((p) => (chosen.has(p.key) ? p : idle(p))) };
}

/** What `berth run` converges before its one-off (F269): the dependencies of one container. */
export interface DependenciesOf {
  /** The container run from; never converged itself (the one-off stands in for it). */
  of: ObjectKey;
  /** Its dependsOn containers too; false (`--no-deps`): its networks, volumes and images only. */
  containers: boolean;
}

/**
 * The part of a full plan that brings the dependencies of one container to their declaration
 * (the keys its plan entry waits for, and what those wait for), and nothing else. Pure.
 */
export function selectDependencies(full: Plan, only: DependenciesOf): Plan {
  const entry = full.objects.find((p) => p.key === only.of);
  const keys = (entry?.after ?? []).filter((k) => only.containers || !k.startsWith('Container/'));
  return selectPlan(full, keys, { alone: true });
}

/** Keys of the objects that wait for `key` (to look at again once `key` has changed). */
export function dependentsOf(full: Plan, key: ObjectKey): ObjectKey[] {
  return full.objects.filter((p) => p.after.includes(key)).map((p) => p.key);
}
