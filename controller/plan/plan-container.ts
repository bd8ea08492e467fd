import { specHash } from '../../specs/hash.js';
import { lookupIn } from '../../specs/link.js';
import type { ContainerObject, DesiredObject, ObjectKey } from '../../specs/model.js';
import {
  gateText,
  socketBindsOf,
  updateOps,
  updatePolicy,
  updatesInPlace,
} from '../update/update-policy.js';
import { objectKey } from '../../specs/model.js';
import type { ObservedContainer } from '../engine/engine.js';
import { declaredEngineName, engineName, LABEL } from '../labels.js';
import { containerCreateRequest } from './container-request.js';
import { settingsDrift, type SettingsDrift } from './settings-drift.js';
import { defaultFilesDir } from './file-mount-paths.js';
import {
  containerOpSequence,
  type ContainerOp,
  exitCodeText,
  type ContainerSituation,
  type RestartReason,
} from '../lifecycle/container-decision.js';
import type { RestartMemory } from './plan-input.js';
import { objectPlan, step } from './plan-resources.js';
import type { ContainerPlanEntry, ObjectPlan, PlanStep, StepSymbol } from './plan-types.js';
import {
  changedFields,
  containerFieldHashes,
  describeFieldChanges,
  legacyMountsHash,
} from './spec-fields.js';

export interface ContainerPlanContext {
  project: string;
  /** The whole declared set: a container's spec depends on the bind mounts it names. */
  desired: readonly DesiredObject[];
  observed?: ObservedContainer;
  /** Id of the image the container should run, when known before anything runs. */
  desiredImageId?: string;
  /** Set when an image step in this plan will replace the container's image. */
  imageChange?: string;
  /** Key of the implicit image pulled for a literal reference, when one is planned. */
  implicitImageKey?: ObjectKey;
  /** Set when a network the container is attached to no longer exists (issue 19 item 3). */
  networkGone?: string;
  /** Set when a `dependsOn` entry with `restart: true` names a container this plan replaces. */
  dependencyRestart?: string;
  /** berth's memory of its restarts: back-off, and a health verdict that predates an unpause. */
  memory?: RestartMemory;
  /** An image step of this plan pulls or builds its image. */
  imageFromRun?: boolean;
  /**
   * Declared network → the engine name of the project's network of that name the engine has
   * now. A network recreated under a new `spec.name` (F134) moves its containers itself: they
   * are not "not attached" meanwhile.
   */
  observedNetworkNames?: ReadonlyMap<string, string>;
  /** Engine name → declared name of every network the project owns (declared or not). */
  ownedNetworks?: ReadonlyMap<string, string>;
}

/**
 * A declared (owned) network the container's endpoint names by an id that the project's network
 * of that name no longer has: removed (and perhaps created again) behind a stopped
 * container's back. The engine cannot start it so; it is recreated (issue 19 item 3).
 */
export function goneNetwork(
  container: ContainerObject,
  observed: ObservedContainer,
  project: string,
  owned: ReadonlyMap<string, unknown>,
  desired: readonly DesiredObject[] = [],
): string | undefined {
  for (const { network } of container.spec.networks) {
    // An external network is not berth's: its presence is checked by name (observe.ts).
    if (desired.some((o) => o.kind === 'Network' && o.name === network && o.spec.external))
      continue;
    const endpointId =
      observed.networkIds?.[declaredEngineName(project, desired, 'Network', network)];
    const current = owned.get(`Network/${network}`) as { id: string } | undefined;
    if (endpointId && current?.id !== endpointId) {
      return `network ${network} was removed outside berth`;
    }
  }
  return undefined;
}

/**
 * Fields berth once hashed that no longer force a recreate: a container made then, whose
 * `berth.spec-fields` differ from the declaration only by these, is not replaced on upgrade.
 */
const NO_LONGER_RECREATE = new Set(['update']);

/** Why the container must be replaced, or undefined when it need not be. */
export function replaceCause(
  container: ContainerObject,
  ctx: ContainerPlanContext,
): string | undefined {
  const observed = ctx.observed;
  if (!observed) return undefined;
  const hash = observed.labels[LABEL.specHash];
  if (
    hash !== container.specHash &&
    hash !== earlierReplicaHash(container, ctx.desired, observed)
  ) {
    const fields = changedFields(
      observed.labels[LABEL.specFields],
      containerFieldHashes(container, ctx.desired),
      legacyMountsHash(container, ctx.desired),
    );
    // A container made while `update` was hashed differs only by it: not a change (F116).
    if (fields.length === 0 || !fields.every((f) => NO_LONGER_RECREATE.has(f)))
      return describeFieldChanges(fields);
  }
  if (ctx.networkGone) return ctx.networkGone;
  const drift = observedSettingsDrift(container, ctx);
  if (drift?.replace) return drift.cause;
  if (ctx.imageChange) return ctx.imageChange;
  if (ctx.desiredImageId && observed.imageId !== ctx.desiredImageId) return 'image id changed';
  return undefined;
}

/** How the settings read from the engine (when they were) differ from the declaration. */
function observedSettingsDrift(
  container: ContainerObject,
  ctx: ContainerPlanContext,
): SettingsDrift | undefined {
  const settings = ctx.observed?.settings;
  if (!settings) return undefined;
  const request = containerCreateRequest(container, ctx.project, ctx.desired, defaultFilesDir());
  return settingsDrift(request, settings);
}

/**
 * The spec hash berth gave a replica before F26, when `<name>` was written into the spec's
 * network aliases (now the create request adds it, so that a replica hashes as the container
 * does at any scale): replicas made then are not recreated for it, at any scale since.
 * Undefined for other containers.
 */
function earlierReplicaHash(
  container: ContainerObject,
  desired: readonly DesiredObject[],
  observed: ObservedContainer,
): string | undefined {
  // A replica made then and scaled down to 1 since carries `berth.replica` still.
  const wasReplica = observed.labels[LABEL.replica] !== undefined;
  const of = container.replica?.of ?? (wasReplica ? container.name : undefined);
  if (of === undefined) return undefined;
  // Declared objects are never changed once read: one hash per object, whatever the passes.
  const cached = earlierHashes.get(container);
  if (cached !== undefined) return cached;
  const networks = container.spec.networks.map((n) => ({
    ...n,
    aliases: [...new Set([of, ...n.aliases])],
  }));
  const hash = specHash(
    { ...container, spec: { ...container.spec, networks } },
    lookupIn([...desired]),
  );
  earlierHashes.set(container, hash);
  return hash;
}

const earlierHashes = new WeakMap<ContainerObject, string>();

export function containerSituation(
  container: ContainerObject,
  ctx: ContainerPlanContext,
): ContainerSituation {
  const health = ctx.observed?.health ?? 'none';
  return {
    observed: ctx.observed?.state ?? 'absent',
    desired: container.spec.state,
    replace: replaceCause(container, ctx) !== undefined,
    restartPolicy: container.spec.restartPolicy,
    ...restartLimit(container, ctx.observed),
    exitCode: ctx.observed?.exitCode,
    ...(ctx.observed?.oomKilled ? { oomKilled: true } : {}),
    health: ctx.memory?.healthStale && health === 'unhealthy' ? 'starting' : health,
    restartOnUnhealthy: container.spec.healthcheck?.restartOnUnhealthy ?? false,
    backoffMs: ctx.memory?.backoffMs ?? 0,
    ...(ctx.dependencyRestart !== undefined && { dependencyRestart: ctx.dependencyRestart }),
  };
}

/** `restartLimitReached` when the engine's RestartCount (read by observeProject) is at the limit. */
function restartLimit(
  container: ContainerObject,
  observed: ContainerPlanContext['observed'],
): Pick<ContainerSituation, 'restartLimitReached'> {
  const limit = container.spec.restartMaxRetries;
  if (limit === undefined || observed?.restartCount === undefined) return {};
  return observed.restartCount >= limit ? { restartLimitReached: limit } : {};
}

/** The plan entry's container part: everything the executor needs, decided here once. */
export function containerPlanEntry(
  container: ContainerObject,
  ctx: ContainerPlanContext,
): ContainerPlanEntry {
  const replace = replaceCause(container, ctx);
  const situation = containerSituation(container, ctx);
  const update =
    ctx.observed !== undefined &&
    updatesInPlace(container.spec, situation.observed, replace, ctx.networkGone);
  // Only the image step says so: whether it stands is known once that step ran (F267).
  const onlyImage = replace !== undefined && replace === ctx.imageChange;
  const drift = replace ? undefined : observedSettingsDrift(container, ctx);
  return {
    situation,
    ...(replace ? { replaceCause: replace } : {}),
    ...(onlyImage ? { replaceIf: 'image-differs' as const } : {}),
    ...(update ? { update } : {}),
    ...(drift ? { settings: drift.set } : {}),
    ...(ctx.desiredImageId ? { imageId: ctx.desiredImageId } : {}),
    imageFromRun: ctx.imageFromRun ?? false,
    request: containerCreateRequest(container, ctx.project, ctx.desired, defaultFilesDir()),
  };
}

/** Everything a container waits for: its image, networks, mounts and dependsOn. */
export function containerDependencies(
  container: ContainerObject,
  implicitImageKey?: ObjectKey,
): ObjectKey[] {
  const spec = container.spec;
  const keys: ObjectKey[] = [];
  if (spec.image.object) keys.push(`Image/${spec.image.object}`);
  else if (implicitImageKey) keys.push(implicitImageKey);
  for (const n of spec.networks) keys.push(`Network/${n.network}`);
  for (const m of spec.mounts) {
    if (m.type === 'bind') keys.push(`BindMount/${m.bindMount}`);
    if (m.type === 'volume') keys.push(`Volume/${m.volume}`);
  }
  for (const d of spec.dependsOn) keys.push(`Container/${d.container}`);
  return [...new Set(keys)];
}

export function planContainer(container: ContainerObject, ctx: ContainerPlanContext): ObjectPlan {
  const key = objectKey(container);
  const observed = ctx.observed;
  const base = {
    key,
    kind: container.kind,
    name: container.name,
    engineName: engineName(ctx.project, container.name),
    engineId: observed?.id,
    after: containerDependencies(container, ctx.implicitImageKey),
  };
  const entry = containerPlanEntry(container, ctx);
  const { situation } = entry;
  // A running container with a recreate due goes through the update path (issue 14).
  if (entry.update && entry.replaceCause)
    return {
      ...objectPlan(
        base,
        situation.observed,
        container.spec.state,
        updateSteps(container, entry.replaceCause, ctx.desired),
      ),
      container: entry,
    };
  const { ops, end, restart } = containerOpSequence(situation);
  const steps = ops.map((op, i) =>
    step(
      key,
      op,
      symbolFor(op, situation.observed),
      restart && i === 0
        ? restartCause(restart, situation)
        : causeFor(op, i, situation, entry.replaceCause),
    ),
  );
  const drift = entry.settings && !ops.includes('create') && observedSettingsDrift(container, ctx);
  if (drift) steps.unshift(step(key, 'update', '~', drift.cause));
  if (observed && !ops.includes('remove')) steps.push(...connectSteps(container, ctx, observed));
  const reason =
    end.kind === 'hold' || end.kind === 'backoff'
      ? end.reason
      : end.kind === 'wait'
        ? `${situation.observed}; waiting for the engine`
        : undefined;
  const completed = !steps.length && end.kind === 'done' ? end.completed : undefined;
  return {
    ...objectPlan(
      base,
      situation.observed,
      container.spec.state,
      steps,
      steps.length ? undefined : reason,
    ),
    ...(completed ? { reason: completed, completed: true } : {}),
    container: entry,
  };
}

/** The cause of the step that begins a restart berth makes (counted, backed off). */
function restartCause(restart: RestartReason, s: ContainerSituation): string {
  if (restart === 'unhealthy') return 'unhealthy: restart';
  return `exited${exitCodeText(s)}: stopped or died outside berth`;
}

/** A running container replaced through the update path: the steps say the order and why. */
function updateSteps(
  container: ContainerObject,
  replace: string,
  desired: readonly DesiredObject[],
): PlanStep[] {
  const policy = updatePolicy(container.spec, socketBindsOf(desired));
  const key = objectKey(container);
  return updateOps(policy.order).map((op, i) =>
    step(
      key,
      op,
      '~',
      i === 0
        ? `${replace} (${policy.reason})`
        : op === 'gate'
          ? gateText(policy.gate)
          : `update, ${policy.order}`,
    ),
  );
}

function symbolFor(op: ContainerOp, observed: string): StepSymbol {
  return op === 'create' && observed === 'absent' ? '+' : '~';
}

function causeFor(
  op: ContainerOp,
  index: number,
  s: ContainerSituation,
  replace: string | undefined,
): string {
  if (replace && (op === 'stop' || op === 'remove' || op === 'create')) return replace;
  if (s.dependencyRestart !== undefined && op === 'stop') return s.dependencyRestart;
  if (index > 0) return `declared ${s.desired}`;
  switch (s.observed) {
    case 'absent':
      return 'not created yet';
    case 'dead':
      return 'dead';
    case 'created':
      return s.desired === 'created' ? 'created' : 'not started yet';
    case 'running':
      return s.desired === 'created'
        ? 'declared created: recreate'
        : `running, declared ${s.desired}`;
    case 'paused':
      if (s.desired === 'running') return 'paused outside berth';
      return s.desired === 'created'
        ? 'declared created: recreate'
        : `paused, declared ${s.desired}`;
    case 'exited': {
      if (s.desired === 'running') return `exited${exitCodeText(s)}: stopped or died outside berth`;
      return s.desired === 'created'
        ? 'declared created: recreate'
        : `exited, declared ${s.desired}`;
    }
    default:
      return s.observed;
  }
}

/**
 * The container's attachments repaired in place: a declared network it is not attached to (one
 * recreated by hand or by berth) is connected; one of the project's own networks it does not
 * declare (connected by hand) is disconnected (F124), as a hand disconnect is repaired. A
 * network berth does not own is left as it is: someone else's (a proxy's network) to manage.
 * A container in another container's network namespace (`networkMode: container:…`) has no
 * attachments of its own to repair; Podman 4.3.1 lists the joined container's networks on it,
 * and its list carries no network mode to tell (F222).
 */
function connectSteps(
  container: ContainerObject,
  ctx: ContainerPlanContext,
  observed: ObservedContainer,
): PlanStep[] {
  if (container.spec.networkMode?.startsWith('container:')) return [];
  const key = objectKey(container);
  const nameOf = (network: string) =>
    ctx.observedNetworkNames?.get(network) ??
    declaredEngineName(ctx.project, ctx.desired, 'Network', network);
  const declared = new Set(container.spec.networks.map((n) => n.network));
  const undeclared = observed.networks
    .map((engineNetwork) => ctx.ownedNetworks?.get(engineNetwork))
    .filter((name): name is string => name !== undefined && !declared.has(name))
    .map((name) => step(key, 'disconnect', '~', `attached to undeclared network ${name}`, name));
  const missing = container.spec.networks
    .filter((n) => !observed.networks.includes(nameOf(n.network)))
    .map((n) => step(key, 'connect', '~', `not attached to network ${n.network}`, n.network));
  return [...undeclared, ...missing];
}
