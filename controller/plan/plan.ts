import { scaledToZero } from '../../specs/expand.js';
import type { ContainerObject, DesiredObject, Kind, ObjectKey } from '../../specs/model.js';
import { resourceKind } from '../kinds/index.js';
import { pinnedImageStep, planImageRetention } from '../update/image-retention.js';
import { chainReplicaUpdates } from '../update/replica-order.js';
import { objectKey } from '../../specs/model.js';
import type { ObservedContainer, ObservedNetwork, ObservedState } from '../engine/engine.js';
import { ownedContainerName } from '../container-names.js';
import { LABEL } from '../labels.js';
import { findImage } from './image-ref.js';
import { isUpdateLeftover, type RecoveryStep } from './recovery-steps.js';
import { repairsAhead } from './repairs-ahead.js';
import { goneNetwork, planContainer } from './plan-container.js';
import { keptNetwork } from './plan-duplicates.js';
import type { OwnedIndex, PlanInput } from './plan-input.js';
import { planDeletions } from './plan-implicit.js';
import { orphansLeft } from './plan-prune.js';
import { step } from './plan-object.js';
import { objectPlan, planImplicitImage } from './plan-resources.js';
import type { ObjectPlan, Plan, PlanConflict, PlanStep } from './plan-types.js';
import { orderByDependencies } from './order.js';
import { blockTakenUpdates } from './update-names-taken.js';
import { planScaledToZero } from './plan-zero.js';
import { afterRenames, scaleRenames, withScaleRename } from './scale-renames.js';

import { engineNameClashes } from './engine-name-clashes.js';
export type { PlanInput } from './plan-input.js';

/**
 * What it takes to bring the engine to the declaration: a pure function of what was
 * declared and what was observed. `berth plan` prints it; `berth apply` runs it; status
 * reads it. Declared objects come in dependency order, deletions after them in reverse.
 */
export function plan(observedInput: PlanInput): Plan {
  // The writers repair before they plan (observe.ts): plan what they plan after it (F667).
  const ahead = repairsAhead(observedInput.observed.containers, observedInput.project);
  const input = withContainers(observedInput, ahead.containers);
  const indexed = indexOwned(input.observed, input.project);
  const renames = scaleRenames(input.desired, indexed, input.project);
  const owned = afterRenames(indexed, renames);
  const renameOf = new Map(renames.map((r) => [r.key, r]));
  const conflicts = conflictsOf(input);
  const conflicted = new Set(conflicts.map((c) => c.key));
  const declared: ObjectPlan[] = [];
  const imagePlans = new Map<string, ObjectPlan>();

  for (const object of input.desired) {
    if (object.kind === 'Container') continue;
    const p = planResource(object, input, owned);
    if (object.kind === 'Image') imagePlans.set(object.name, p);
    declared.push(p);
  }
  const implicit = planImplicitImages(input);
  declared.push(...implicit.values());
  const repairs = repairsByKey(observedInput.observed.containers, ahead.steps);
  const containerPlans = new Map<ObjectKey, ObjectPlan>();
  for (const object of input.desired) {
    if (object.kind !== 'Container') continue;
    if (scaledToZero(object)) {
      declared.push(planScaledToZero(object, owned, input.project));
      continue;
    }
    containerPlans.set(
      objectKey(object),
      planDeclaredContainer(object, input, owned, imagePlans, implicit),
    );
  }
  for (const object of input.desired) {
    const planned = containerPlans.get(objectKey(object));
    if (object.kind !== 'Container' || !planned) continue;
    // A container joining another's network namespace goes with it (F118); one that asks
    // for it (dependsOn restart: true) restarts after a dependency is replaced.
    const gone = joinedNamespaceGone(object, owned, containerPlans);
    const restart = gone ? undefined : dependencyReplaced(object, planned, containerPlans);
    const p =
      gone || restart
        ? planDeclaredContainer(object, input, owned, imagePlans, implicit, gone, restart)
        : planned;
    declared.push(withRepairs(withScaleRename(p, renameOf.get(p.key)), repairs.get(p.key)));
  }

  const withConflicts = chainReplicaUpdates(declared, input.desired).map((p) =>
    conflicted.has(p.key) ? blockedByConflict(p, conflicts) : p,
  );
  const updates = blockTakenUpdates(withConflicts, input.desired, input.updateNamesTaken);
  const deletions = [...planDeletions(input, owned), ...planImageRetention(input)];
  const orphans = input.prune ? [] : orphansLeft(input, owned, deletions);
  return {
    project: input.project,
    objects: [...orderByDependencies(updates.objects), ...deletions],
    conflicts: [...conflicts, ...updates.conflicts],
    ...(orphans.length > 0 && { orphans }),
  };
}

/** The plan entry of a declared object other than a container (controller/kinds/<kind>.ts). */
function planResource(
  object: Exclude<DesiredObject, ContainerObject>,
  input: PlanInput,
  owned: OwnedIndex,
): ObjectPlan {
  return resourceKind(object.kind).planDeclared(object, input, owned);
}

/**
 * Why a container declared `networkMode: container:NAME` must be made again although its own
 * spec is unchanged: NAME is replaced by this plan, or was replaced since it joined (the id it
 * joined is not NAME's any more). The engine leaves a joined container in the old namespace,
 * which is gone with the old container: only `lo` is left (F118). Compose recreates a
 * `network_mode: service:NAME` service with NAME for the same reason.
 */
function joinedNamespaceGone(
  container: ContainerObject,
  owned: OwnedIndex,
  plans: ReadonlyMap<ObjectKey, ObjectPlan>,
): string | undefined {
  const mode = container.spec.networkMode;
  if (!mode?.startsWith('container:')) return undefined;
  const self = owned.get(objectKey(container)) as ObservedContainer | undefined;
  if (!self) return undefined;
  const name = mode.slice('container:'.length);
  const targetKey: ObjectKey = `Container/${name}`;
  if (plans.get(targetKey)?.container?.replaceCause)
    return `the container it joins (${name}) is replaced`;
  const target = owned.get(targetKey) as ObservedContainer | undefined;
  if (self.joinedNetworkOf && target && target.id !== self.joinedNetworkOf)
    return `the container it joined (${name}) was replaced since`;
  return undefined;
}

/**
 * Why a container restarts after a dependency (Compose's `depends_on.restart: true`, "restart
 * this service after Compose updates the dependency"): a container it names with `restart:
 * true` is replaced by this plan, and it is itself running and not replaced (a replaced one
 * starts after the dependency anyway). Only replacements berth plans count: not the engine's
 * or berth's restarts after a crash, as Compose excludes the runtime's restarts.
 */
function dependencyReplaced(
  container: ContainerObject,
  planned: ObjectPlan,
  plans: ReadonlyMap<ObjectKey, ObjectPlan>,
): string | undefined {
  if (planned.container?.replaceCause || planned.steps.length) return undefined;
  const replaced = container.spec.dependsOn
    .filter((d) => d.restart && plans.get(`Container/${d.container}`)?.container?.replaceCause)
    .map((d) => d.container);
  if (replaced.length === 0) return undefined;
  return `${replaced.join(', ')} replaced (dependsOn restart: true): restart after it`;
}

function planDeclaredContainer(
  container: ContainerObject,
  input: PlanInput,
  owned: OwnedIndex,
  imagePlans: Map<string, ObjectPlan>,
  implicit: Map<string, ObjectPlan>,
  namespaceGone?: string,
  dependencyRestart?: string,
): ObjectPlan {
  const observed = owned.get(objectKey(container)) as ObservedContainer | undefined;
  const imageObject = container.spec.image.object;
  const imagePlan = imageObject ? imagePlans.get(imageObject) : undefined;
  const rebuilt = imagePlan?.steps.some((s) => s.action === 'build') ?? false;
  const found = findImage(input.observed.images, container.spec.image.ref);
  return planContainer(container, {
    project: input.project,
    desired: input.desired,
    observed,
    desiredImageId: imagePlan?.steps.length ? undefined : found?.id,
    imageChange:
      rebuilt && observed ? `image ${imageObject} rebuilt: replaced if its id changes` : undefined,
    implicitImageKey: implicit.get(container.spec.image.ref)?.key,
    networkGone:
      (observed && goneNetwork(container, observed, input.project, owned, input.desired)) ??
      namespaceGone,
    memory: input.restarts?.get(objectKey(container)),
    dependencyRestart,
    imageFromRun: (imagePlan?.steps.length ?? 0) > 0 || implicit.has(container.spec.image.ref),
    observedNetworkNames: observedNetworkNames(input.desired, owned),
    ownedNetworks: ownedNetworkNames(owned),
  });
}

const ownedNetworksOf = new WeakMap<OwnedIndex, Map<string, string>>();

/** Engine name → declared name of every network the project owns on the engine (once per index). */
function ownedNetworkNames(owned: OwnedIndex): Map<string, string> {
  const known = ownedNetworksOf.get(owned);
  if (known) return known;
  const names = new Map<string, string>();
  for (const [key, o] of owned)
    if (key.startsWith('Network/')) names.set(o.name, key.slice('Network/'.length));
  ownedNetworksOf.set(owned, names);
  return names;
}

/** Declared (owned) network → the engine name the project's network of that name has now. */
function observedNetworkNames(
  desired: readonly DesiredObject[],
  owned: OwnedIndex,
): Map<string, string> {
  const names = new Map<string, string>();
  for (const o of desired) {
    if (o.kind !== 'Network' || o.spec.external) continue;
    const network = owned.get(`Network/${o.name}`) as ObservedNetwork | undefined;
    if (network) names.set(o.name, network.name);
  }
  return names;
}

/**
 * Literal image references that no Image object declares and the engine lacks (pulled), or
 * that a rollback pins to the exact image they named then (tagged back).
 */
function planImplicitImages(input: PlanInput): Map<string, ObjectPlan> {
  const out = new Map<string, ObjectPlan>();
  for (const o of input.desired) {
    if (o.kind !== 'Container' || o.spec.image.object || scaledToZero(o)) continue;
    const ref = o.spec.image.ref;
    if (out.has(ref)) continue;
    const pinned = input.pinnedImages?.get(ref);
    const pin = pinnedImageStep(`Image/${ref}`, ref, input.observed.images, pinned);
    if (pin)
      out.set(
        ref,
        objectPlan({ key: pin.key, kind: 'Image', name: ref }, 'present', 'present', [pin]),
      );
    else if (!findImage(input.observed.images, ref)) out.set(ref, planImplicitImage(ref));
  }
  return out;
}

/**
 * The name repairs (name-repairs.ts) and the finishing or undoing of updates cut short
 * (recovery-steps.ts: a `-next` or `-prev` leftover) of each container, as plan steps, before
 * the steps planned for what they leave (repairs-ahead.ts). The writers run them before they
 * observe for the plan (observe.ts), so the plans they execute have none; `plan`, `status`
 * and the controller's resync see them. A declared container beside a leftover of its own is
 * not in sync, even when the one under its name matches (DESIGN.md: afterwards exactly one
 * container answers to the name): status must not say "in sync" over it, and the resync must
 * queue it so that the reconcile's recovery runs (F38).
 */
function repairsByKey(
  containers: readonly ObservedContainer[],
  repairs: readonly RecoveryStep[],
): Map<ObjectKey, PlanStep[]> {
  const nameOf = new Map(containers.map((c) => [c.id, c.name]));
  const byKey = new Map<ObjectKey, PlanStep[]>();
  for (const r of repairs) {
    const key = r.key as ObjectKey;
    byKey.set(key, [...(byKey.get(key) ?? []), repairStep(key, r, nameOf.get(r.id))]);
    if (r.action === 'rename' && r.to) nameOf.set(r.id, r.to);
  }
  return byKey;
}

/** The plan input with the observed containers replaced (as the repairs will leave them). */
function withContainers(input: PlanInput, containers: ObservedContainer[]): PlanInput {
  if (containers === input.observed.containers) return input;
  return { ...input, observed: { ...input.observed, containers } };
}

/** One repair as a plan step: a rename names the new name, a removal the container it removes. */
function repairStep(key: ObjectKey, r: RecoveryStep, current: string | undefined): PlanStep {
  if (r.action === 'rename') return step(key, 'rename', '~', r.cause, r.to);
  if (r.action === 'start') return step(key, 'start', '~', r.cause);
  return step(key, 'remove', '-', r.cause, current);
}

function withRepairs(p: ObjectPlan, repairs: PlanStep[] | undefined): ObjectPlan {
  if (!repairs) return p;
  return { ...p, steps: [...repairs, ...p.steps], inSync: false, reason: repairs[0]?.cause };
}

/**
 * Owned containers, networks and volumes of the project, by `Kind/name` from their labels
 * (a container by the declared name it answers to: container-names.ts).
 */
export function indexOwned(observed: ObservedState, project: string): OwnedIndex {
  const index: OwnedIndex = new Map();
  const add = (
    kind: Kind,
    labels: Record<string, string>,
    value: OwnedIndex extends Map<ObjectKey, infer V> ? V : never,
  ) => {
    const name = labels[LABEL.name];
    if (labels[LABEL.project] === project && name && (labels[LABEL.kind] ?? kind) === kind)
      index.set(`${kind}/${name}`, value);
  };
  for (const c of observed.containers) {
    if (isUpdateLeftover(c, project)) continue;
    // Replica 1 answers to `<name>` or `<name>-1` as its engine name says (container-names.ts).
    const name = ownedContainerName(c, project);
    add('Container', name === undefined ? c.labels : { ...c.labels, [LABEL.name]: name }, c);
  }
  for (const n of observed.networks) {
    // Two networks of one name (issue 19 item 7): index the one berth keeps.
    const seen = index.get(`Network/${n.labels[LABEL.name] ?? ''}`) as ObservedNetwork | undefined;
    add('Network', n.labels, seen ? keptNetwork(seen, n, observed.containers) : n);
  }
  for (const v of observed.volumes) add('Volume', v.labels, v);
  return index;
}

function conflictsOf(input: PlanInput): PlanConflict[] {
  const clashes = engineNameClashes(input.project, input.desired);
  const clashing = new Set(clashes.map((c) => c.key));
  const held = (input.unowned ?? []).filter(
    (u) => !clashing.has(`${u.kind}/${u.name}` as ObjectKey),
  );
  return [
    ...clashes,
    ...held.map((u) => ({
      key: `${u.kind}/${u.name}` as ObjectKey,
      engineName: u.engineName,
      message: `the engine name ${u.engineName} is taken by ${u.holder ?? `a ${u.kind.toLowerCase()} berth does not own`}; berth will not adopt, rename or remove it`,
    })),
  ];
}

/**
 * A declared object whose engine name something berth does not own holds: no step and no
 * container entry, so the executor runs nothing for it and fails it with the conflict's reason
 * (run-object.ts). The entry used to stay, and a container's create was sent all the same and
 * refused by the engine (F200): the plan is what runs.
 */
function blockedByConflict(p: ObjectPlan, conflicts: PlanConflict[]): ObjectPlan {
  const conflict = conflicts.find((c) => c.key === p.key);
  const { container: _decided, ...blocked } = p;
  return { ...blocked, steps: [], inSync: false, reason: conflict?.message ?? 'name conflict' };
}
