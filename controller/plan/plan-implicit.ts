import { DEFAULT_NETWORK, replicaName } from '../../specs/expand.js';
import type { ObjectKey } from '../../specs/model.js';
import type { ObservedContainer } from '../engine/engine.js';
import { engineName, LABEL } from '../labels.js';
import type { PlanInput } from './plan-input.js';
import { planPrune } from './plan-prune.js';
import type { ObjectPlan } from './plan-types.js';

/**
 * The deletions of a plan: every undeclared owned object with `--prune`, else only the
 * implicit orphans below. A default network that goes waits for the declared containers
 * still attached to it (they are recreated onto their declared networks first).
 */
export function planDeletions(
  input: PlanInput,
  owned: Parameters<typeof planPrune>[1],
): ObjectPlan[] {
  const deletions = planPrune(input, owned, input.prune ? undefined : implicitOrphans(input));
  const defaultNet = engineName(input.project, DEFAULT_NETWORK);
  const attached = input.observed.containers
    .filter((c) => c.networks.includes(defaultNet) && c.labels[LABEL.project] === input.project)
    .map((c) => `Container/${c.labels[LABEL.name] ?? ''}` as ObjectKey);
  return deletions.map((p) =>
    p.key === `Network/${DEFAULT_NETWORK}`
      ? { ...p, after: [...new Set([...p.after, ...attached])] }
      : p,
  );
}

/**
 * Owned objects berth removes even without `--prune`, because berth made them up rather
 * than the user declaring them: replicas of a declared container that its `replicas` no
 * longer covers (scaled down, or scaled between 1 and more, which renames the instances),
 * and the project's default network once no container that stays is attached to it.
 * Returns the predicate `planPrune` takes.
 */
export function implicitOrphans(input: PlanInput): (key: ObjectKey, value: unknown) => boolean {
  const declared = new Set(input.desired.map((o) => `${o.kind}/${o.name}`));
  const bases = new Set<string>();
  for (const o of input.desired)
    if (o.kind === 'Container') bases.add(o.replica ? o.replica.of : o.name);
  const leftoverReplica = (c: ObservedContainer): boolean => {
    const name = c.labels[LABEL.name] ?? '';
    if (declared.has(`Container/${name}`)) return false;
    if (bases.has(name)) return true;
    const index = Number(c.labels[LABEL.replica]);
    const suffix = `-${index}`;
    return (
      Number.isInteger(index) &&
      name.endsWith(suffix) &&
      bases.has(name.slice(0, -suffix.length)) &&
      replicaName(name.slice(0, -suffix.length), index) === name
    );
  };
  const defaultNet = engineName(input.project, DEFAULT_NETWORK);
  // Declared containers still attached leave it when they are recreated (planDeletions
  // orders the removal after them); anything else attached keeps it.
  const defaultUnused = (): boolean =>
    input.observed.containers
      .filter((c) => c.networks.includes(defaultNet))
      .every(
        (c) =>
          c.labels[LABEL.project] === input.project &&
          (declared.has(`Container/${c.labels[LABEL.name] ?? ''}`) || leftoverReplica(c)),
      );
  return (key, value) => {
    if (key.startsWith('Container/')) return leftoverReplica(value as ObservedContainer);
    return key === `Network/${DEFAULT_NETWORK}` && defaultUnused();
  };
}
