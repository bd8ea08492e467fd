import { DEFAULT_NETWORK } from '../../specs/expand.js';
import { ownedContainerName, ownedReplica } from '../container-names.js';
import type { ObjectKey } from '../../specs/model.js';
import type { ObservedContainer } from '../engine/engine.js';
import { declaredEngineName, LABEL } from '../labels.js';
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
  const defaultNet = defaultNetworkName(input);
  const attached = input.observed.containers
    .filter((c) => c.networks.includes(defaultNet) && c.labels[LABEL.project] === input.project)
    .map((c) => `Container/${ownedContainerName(c, input.project) ?? ''}` as ObjectKey);
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
  const { project } = input;
  const declared = new Set(input.desired.map((o) => `${o.kind}/${o.name}`));
  const bases = new Set<string>();
  for (const o of input.desired)
    if (o.kind === 'Container') bases.add(o.replica ? o.replica.of : o.name);
  // A replica of a declared container by the name it answers to (container-names.ts):
  // `<base>` itself, replica 1 as `<base>-1`, or replica i as `<base>-<i>`.
  const leftoverReplica = (c: ObservedContainer): boolean => {
    const name = ownedContainerName(c, project) ?? '';
    if (declared.has(`Container/${name}`)) return false;
    return bases.has(name) || bases.has(ownedReplica(c, project)?.of ?? '');
  };
  const defaultNet = defaultNetworkName(input);
  // Declared containers still attached leave it when they are recreated (planDeletions
  // orders the removal after them); anything else attached keeps it.
  const defaultUnused = (): boolean =>
    input.observed.containers
      .filter((c) => c.networks.includes(defaultNet))
      .every(
        (c) =>
          c.labels[LABEL.project] === project &&
          (declared.has(`Container/${ownedContainerName(c, project) ?? ''}`) || leftoverReplica(c)),
      );
  return (key, value) => {
    if (key.startsWith('Container/')) return leftoverReplica(value as ObservedContainer);
    return key === `Network/${DEFAULT_NETWORK}` && defaultUnused();
  };
}

/**
 * The engine name of the project's default network: the declared one's (labels.ts), else the
 * one the engine has under the project's labels (it may have had a `spec.name`), else
 * `<project>-default`.
 */
function defaultNetworkName(input: PlanInput): string {
  const { project, desired } = input;
  if (desired.some((o) => o.kind === 'Network' && o.name === DEFAULT_NETWORK))
    return declaredEngineName(project, desired, 'Network', DEFAULT_NETWORK);
  const owned = input.observed.networks.find(
    (n) =>
      n.labels[LABEL.project] === project &&
      n.labels[LABEL.name] === DEFAULT_NETWORK &&
      (n.labels[LABEL.kind] ?? 'Network') === 'Network',
  );
  return owned?.name ?? declaredEngineName(project, desired, 'Network', DEFAULT_NETWORK);
}
