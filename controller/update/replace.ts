import type { ContainerCreateRequest, ContainerDetails, Engine } from '../engine/engine.js';
import { isEngineError } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import { sameOwnedContainer } from '../container-names.js';
import { LABEL, NEXT_SUFFIX, PREV_SUFFIX } from '../labels.js';
import { gateEvidence } from './gate-evidence.js';
import { healthGate, type GateResult } from './health-gate.js';
import type { UpdatePolicy } from './update-policy.js';
import { temporaryNameTaken } from './temporary-name.js';

/** What one replacement needs: the running container, the new one's request, the policy. */
export interface ReplaceInput {
  engine: Engine;
  project: string;
  /** Engine id of the container being replaced (running). */
  oldId: string;
  /** The new container, under the engine name the old one has. */
  request: ContainerCreateRequest;
  policy: UpdatePolicy;
  /** Each engine operation as it starts (`create`, `start`, `gate`, `stop`, `remove`, `rename`). */
  onOp?: (op: string) => void;
  /** Ms left of the gate, once a second. */
  onGateTick?: (leftMs: number) => void;
  /** Ctrl-C: the gate under way rejects at once with E_INTERRUPTED (the caller undoes). */
  signal?: AbortSignal;
}

/** How a replacement ended. */
export type ReplaceResult =
  | { outcome: 'replaced'; id: string }
  /**
   * The gate failed: the new container is gone and the old one is as before; `old` is how a
   * start-first update left it (F540: it may be crash-looping, not serving).
   */
  | { outcome: 'rolled-back'; reason: string; failedAt: FailedAt; old?: OldContainerState }
  /** The gate failed under `onFailure: pause`: both containers are left for inspection. */
  | { outcome: 'paused'; reason: string; failedAt: FailedAt };

/** The old container after a rolled-back start-first update, as the engine tells it. */
export type OldContainerState = Pick<ContainerDetails, 'state' | 'health'>;

/** Where a replacement failed: the new container's start, or its gate (F343: both said gate). */
export type FailedAt = 'start' | 'gate';

/**
 * Replaces a running container under its update policy (DESIGN.md "Updates and rollback").
 * start-first: the new container runs as `<name>-next` beside the old, passes the gate, then
 * the old one stops and goes and the new one takes the name; a failed gate removes the new
 * one and never touches the old. stop-first: the old one becomes `<name>-prev` and stops,
 * the new one is created and gated; success removes `-prev`, failure removes the new one and
 * renames and starts `-prev` again. Engine errors are thrown (the caller fails the object);
 * one after the old one stopped is thrown once the old one serves again.
 */
export async function replaceContainer(input: ReplaceInput): Promise<ReplaceResult> {
  const patient = { ...input, engine: withRetries(input.engine) };
  return input.policy.order === 'start-first' ? startFirst(patient) : stopFirst(patient);
}

/** The engine calls of a replacement; each is idempotent or checked (createFresh). */
const RETRIED = new Set([
  'createContainer',
  'startContainer',
  'stopContainer',
  'removeContainer',
  'renameContainer',
]);

/**
 * The engine with the container machine's patience for a passing hiccup (`E_ENGINE`: up to 3
 * retries, 100 ms doubling), so a transient error does not fail an update that a plain
 * recreate would have got through. Other errors are thrown at once.
 */
function withRetries(engine: Engine): Engine {
  return new Proxy(engine, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || !RETRIED.has(String(prop))) return value;
      return (...args: unknown[]) =>
        retried(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

async function retried<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (attempt >= 3 || !isEngineError(e, 'E_ENGINE')) throw e;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}

async function startFirst(input: ReplaceInput): Promise<ReplaceResult> {
  const { engine, request, oldId } = input;
  const op = (name: string) => input.onOp?.(name);
  op('create');
  // Not under the service's names until it passed its gate: a booting replica that a peer
  // resolved would refuse its requests (issue 14: start-first lost ~8 % of requests).
  const unnamed = request.networks.map((n) => ({ ...n, aliases: [] }));
  const next = await createFresh(engine, {
    ...request,
    name: `${request.name}${NEXT_SUFFIX}`,
    networks: unnamed,
  }).catch((e: unknown) => {
    throw isEngineError(e, 'E_CONFLICT') ? temporaryNameError(request.name, 'start-first', e) : e;
  });
  op('start');
  // A new container that cannot start (a command that does not exist) fails the gate like
  // one that never gets healthy: it is removed, never left as `-next` (F115).
  const gate = await startAndGate(input, next);
  if (!gate.passed)
    return oldAfter(input, await failed(input, gate, next, () => discard(input, next)));
  await takeOverNames(input, next);
  op('stop');
  await engine.stopContainer(oldId, request.stopTimeoutSec);
  op('remove');
  await engine.removeContainer(oldId);
  op('rename');
  await engine.renameContainer(next, request.name);
  return { outcome: 'replaced', id: next };
}

/**
 * The cut-over of a start-first update: the new container, gated, joins the service's names
 * on each network (the engine sets aliases only when connecting: disconnect, connect); then
 * the old one leaves them, so no peer resolves it any more while it stops (its grace period).
 * The engine name it takes by the rename after is one of those names too: Podman's DNS keeps
 * a renamed container under its old name only (F450), and on Docker the alias only repeats
 * the name the rename gives it.
 */
async function takeOverNames(input: ReplaceInput, next: string): Promise<void> {
  const { engine, request, oldId } = input;
  for (const n of request.networks) {
    await engine.disconnectNetwork(n.name, next);
    await engine.connectNetwork(n.name, next, [...new Set([...n.aliases, request.name])]);
  }
  for (const n of request.networks) await engine.disconnectNetwork(n.name, oldId);
}

/**
 * stop-first. The old container gives up its name before it stops: when `<name>-prev` is held
 * by a container berth does not own, the rename fails while the old one still serves (F127:
 * it was stopped first and left stopped), and an update cut short at any later step (Ctrl-C,
 * `--timeout`, SIGKILL) leaves a `-prev` that recovery renames back and starts. A step after
 * the rename that fails (a create the engine refuses) puts the old one back before the error
 * is thrown. A container the engine will not rename while it runs (a crash loop) is stopped
 * first ({@link stopThenRename}).
 */
async function stopFirst(input: ReplaceInput): Promise<ReplaceResult> {
  const { engine, request, oldId } = input;
  const op = (name: string) => input.onOp?.(name);
  op('rename');
  // False: the engine would not rename it while it runs (a crash loop): stopped, then renamed.
  const renamedRunning = await engine.renameContainer(oldId, `${request.name}${PREV_SUFFIX}`).then(
    () => true,
    (e: unknown) => {
      if (isEngineError(e, 'E_CONFLICT')) throw temporaryNameError(request.name, 'stop-first', e);
      return false;
    },
  );
  if (!renamedRunning) await stopThenRename(input);
  let fresh: string;
  try {
    if (renamedRunning) {
      op('stop');
      await engine.stopContainer(oldId, request.stopTimeoutSec);
    }
    op('create');
    fresh = await createFresh(engine, request);
  } catch (e) {
    await restoreOld(input).catch(() => undefined);
    throw e;
  }
  op('start');
  const gate = await startAndGate(input, fresh);
  if (!gate.passed)
    return failed(input, gate, fresh, async () => {
      await discard(input, fresh);
      await restoreOld(input);
    });
  op('remove');
  await engine.removeContainer(oldId);
  return { outcome: 'replaced', id: fresh };
}

/**
 * The old container would not give up its name while it runs. Docker 20.10 refuses to rename a
 * container of a crash loop ("sandbox … not found": between two restarts it has no network
 * sandbox), so the fix of a crash-looping database could never be applied (F260). Such a
 * container serves nothing: it is stopped first and renamed then. When the rename still fails,
 * it is started again under its name and the engine's error is thrown.
 */
async function stopThenRename(input: ReplaceInput): Promise<void> {
  const { engine, request, oldId } = input;
  input.onOp?.('stop');
  await engine.stopContainer(oldId, request.stopTimeoutSec);
  input.onOp?.('rename');
  await engine.renameContainer(oldId, `${request.name}${PREV_SUFFIX}`).catch(async (e: unknown) => {
    input.onOp?.('start');
    await engine.startContainer(oldId).catch(() => undefined);
    throw isEngineError(e, 'E_CONFLICT') ? temporaryNameError(request.name, 'stop-first', e) : e;
  });
}

/**
 * The update's temporary name (`<name>-next` for the new container, `<name>-prev` for the old
 * one) is taken by a container berth does not own: the plan blocks such an update (F168), so
 * this is one taken after the plan was made. Nothing was stopped.
 */
function temporaryNameError(
  name: string,
  order: UpdatePolicy['order'],
  cause: unknown,
): BerthError {
  return new BerthError('E_CONFLICT', temporaryNameTaken(name, order, 'another container'), {
    cause,
  });
}

/**
 * The old container of a stop-first update takes its name back and serves again. When the
 * engine refuses (after Ctrl-C or the apply's deadline no call starts), the caller's undo
 * does it from the `-prev` left behind.
 */
async function restoreOld(input: ReplaceInput): Promise<void> {
  const { engine, request, oldId } = input;
  input.onOp?.('rename');
  await engine.renameContainer(oldId, request.name);
  input.onOp?.('start');
  await engine.startContainer(oldId);
}

/**
 * Starts the new container and runs its gate. A start the engine refuses fails the update
 * like a failed gate, but is named as what it is, and no gate is reported (F343).
 */
async function startAndGate(
  input: ReplaceInput,
  id: string,
): Promise<GateResult & { failedAt?: FailedAt }> {
  const refused = await input.engine.startContainer(id).then(
    () => undefined,
    (e: Error) => e.message,
  );
  if (refused)
    return {
      passed: false,
      reason: `the new container did not start: ${refused}`,
      failedAt: 'start',
    };
  input.onOp?.('gate');
  return gateOf(input, id);
}

function gateOf(input: ReplaceInput, id: string): Promise<GateResult> {
  return healthGate(input.engine, input.project, id, input.policy.gate, {
    ...(input.onGateTick ? { onTick: input.onGateTick } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  });
}

/**
 * A failed start or gate: the reason, with what the new container can still tell about why
 * (read before `rollback` removes it), then the rollback, unless `onFailure: pause`.
 */
async function failed(
  input: ReplaceInput,
  gate: { reason: string; failedAt?: FailedAt },
  newId: string,
  rollback: () => Promise<void>,
): Promise<ReplaceResult> {
  const failedAt = gate.failedAt ?? 'gate';
  const evidence = failedAt === 'gate' ? await gateEvidence(input.engine, newId) : undefined;
  const reason = evidence ? `${gate.reason} (${evidence})` : gate.reason;
  if (input.policy.onFailure === 'pause') return { outcome: 'paused', reason, failedAt };
  await rollback();
  return { outcome: 'rolled-back', reason, failedAt };
}

/**
 * A rolled-back start-first update with the old container's state as it is now: "keeps
 * running" is said only when it does (one inspect, on the failure path).
 */
async function oldAfter(input: ReplaceInput, result: ReplaceResult): Promise<ReplaceResult> {
  if (result.outcome !== 'rolled-back') return result;
  const old = await input.engine.inspectContainer(input.oldId).catch(() => undefined);
  return old ? { ...result, old: { state: old.state, health: old.health } } : result;
}

/** Stops (without waiting out a grace period: it never served) and removes a failed container. */
async function discard(input: ReplaceInput, id: string): Promise<void> {
  input.onOp?.('remove');
  await input.engine.removeContainer(id);
}

/**
 * Creates the container; a leftover of an interrupted update under the same name (owned by
 * the same object) is removed first — it never passed its gate, or it would have been renamed.
 */
async function createFresh(engine: Engine, request: ContainerCreateRequest): Promise<string> {
  try {
    return (await engine.createContainer(request)).id;
  } catch (e) {
    if (!isEngineError(e, 'E_CONFLICT')) throw e;
    const leftover = await engine.inspectContainer(request.name);
    const project = request.labels[LABEL.project] ?? '';
    const owned = leftover && sameOwnedContainer(leftover, request, project);
    if (!owned) throw e;
    await engine.removeContainer(leftover.id);
    return (await engine.createContainer(request)).id;
  }
}
