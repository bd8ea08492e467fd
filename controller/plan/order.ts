import type { Kind, ObjectKey } from '../../specs/model.js';
import type { ObjectPlan } from './plan-types.js';

const KIND_RANK: Record<Kind, number> = {
  Image: 0,
  Secret: 1,
  Config: 1,
  BindMount: 1,
  Volume: 2,
  Network: 3,
  Container: 4,
};

/**
 * Stable topological order: by kind, then name, with every object after the objects it
 * waits for. Dependencies outside the list are ignored (they need no work).
 */
export function orderByDependencies(plans: ObjectPlan[]): ObjectPlan[] {
  const sorted = [...plans].sort(
    (a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.name.localeCompare(b.name),
  );
  const byKey = new Map(sorted.map((p) => [p.key, p]));
  const done = new Set<ObjectKey>();
  const out: ObjectPlan[] = [];
  const visit = (p: ObjectPlan, trail: Set<ObjectKey>) => {
    if (done.has(p.key) || trail.has(p.key)) return; // cycles are refused by validation
    trail.add(p.key);
    for (const dep of p.after) {
      const d = byKey.get(dep);
      if (d) visit(d, trail);
    }
    done.add(p.key);
    out.push(p);
  };
  for (const p of sorted) visit(p, new Set());
  return out;
}
