import { createActor, fromPromise, toPromise } from 'xstate';
import type { ContainerCreateRequest, Engine } from '../engine/engine.js';
import { isEngineError } from '../engine/engine.js';
import { sameOwnedContainer } from '../container-names.js';
import { BerthError } from '../errors.js';
import { holderOf, LABEL } from '../labels.js';
import type { ContainerOp, ObservedContainerState } from './container-decision.js';
import { containerMachine } from './container.machine.js';
import type {
  ContainerMachineInput,
  ContainerMachineOutput,
  ContainerSnapshot,
  CreateOutput,
  OperateInput,
  OperateOutput,
} from './container-machine-types.js';

export interface ContainerDriver {
  engine: Engine;
  request: ContainerCreateRequest;
  project: string;
  /** Declared name (for ownership checks on a name conflict). */
  name: string;
  onOp?: (op: string) => void;
  /** A start is held to see it stay up: the executor lets the next operation run meanwhile. */
  leaveSlot?: () => void;
  /** Unix ms, berth's clock (default Date.now). */
  now?: () => number;
}

const requireId = (id: string | undefined, op: string): string => {
  if (!id) throw new Error(`container machine: ${op} without a container id`);
  return id;
};

/** The container machine's actors, backed by the engine: one engine call per operation. */
export function containerActors(d: ContainerDriver) {
  const { engine, request } = d;
  const now = d.now ?? Date.now;
  // When berth's last start of it was sent: a run's age is never more than the time since.
  let startSentAt: number | undefined;
  const calls: Record<Exclude<ContainerOp, 'create'>, (id: string) => Promise<unknown>> = {
    start: (id) => engine.startContainer(id),
    stop: (id) => engine.stopContainer(id, request.stopTimeoutSec),
    pause: (id) => engine.pauseContainer(id),
    unpause: (id) => engine.unpauseContainer(id),
    remove: (id) => engine.removeContainer(id),
  };
  return {
    operate: fromPromise<OperateOutput, OperateInput>(async ({ input }) => {
      d.onOp?.(input.op);
      if (input.op === 'create') return createOrAdopt(d);
      if (input.op === 'start') startSentAt = now();
      await calls[input.op](requireId(input.containerId, input.op));
      return {};
    }),
    inspect: fromPromise<ContainerSnapshot, { containerId?: string }>(async ({ input }) =>
      snapshot(d, input.containerId, now, startSentAt),
    ),
  };
}

/**
 * What the engine has now. Without an id the container is looked up by its engine name,
 * and one found there that is not this object's is a conflict, never taken for it
 * (issue 19 item 11: after a create failed with an unexpected answer).
 */
async function snapshot(
  d: ContainerDriver,
  containerId: string | undefined,
  now: () => number,
  startSentAt: number | undefined,
): Promise<ContainerSnapshot> {
  const lookedAt = now();
  const details = await d.engine.inspectContainer(containerId ?? d.request.name);
  if (!details) return { observed: 'absent' };
  if (!containerId && !isThisObject(d, details)) throw notOwned(d, details);
  return {
    observed: details.state as ObservedContainerState,
    containerId: details.id,
    exitCode: details.exitCode,
    restartCount: details.restartCount,
    ...(details.startedAt !== undefined
      ? { startedAt: details.startedAt, runAgeMs: runAge(details.startedAt, lookedAt, startSentAt) }
      : {}),
  };
}

/**
 * How long a run had been up at `lookedAt`: the engine's StartedAt read against berth's clock
 * (the same clock for a local engine), never below 0 (a clock ahead) nor above the time since
 * berth's start was sent (a clock behind cannot make a fresh run look old).
 */
function runAge(startedAt: number, lookedAt: number, startSentAt: number | undefined): number {
  const age = Math.max(0, lookedAt - startedAt);
  return startSentAt === undefined ? age : Math.min(age, Math.max(0, lookedAt - startSentAt));
}

/**
 * Creates the container. A name conflict with a container that carries our labels and the
 * same spec (an interrupted run, a concurrent apply) is taken over as it is; one without
 * our labels is a conflict berth never resolves by itself.
 */
async function createOrAdopt(d: ContainerDriver): Promise<CreateOutput> {
  try {
    return { containerId: (await d.engine.createContainer(d.request)).id };
  } catch (e) {
    if (!isEngineError(e, 'E_CONFLICT')) throw e;
    const existing = e.detail?.holder;
    if (!existing) throw e;
    if (!isThisObject(d, existing)) throw notOwned(d, existing);
    if (existing.labels[LABEL.specHash] !== d.request.labels[LABEL.specHash]) {
      await d.engine.removeContainer(existing.id);
      return { containerId: (await d.engine.createContainer(d.request)).id };
    }
    return {
      containerId: existing.id,
      adopted: { observed: existing.state, containerId: existing.id, exitCode: existing.exitCode },
    };
  }
}

// The holder of the request's engine name answers to the same declared name, whatever labels
// the berth that made it gave it (container-names.ts).
const isThisObject = (
  d: ContainerDriver,
  holder: { name?: string; labels: Record<string, string> },
) => sameOwnedContainer(holder, d.request, d.project);

const notOwned = (d: ContainerDriver, holder: { labels: Record<string, string> }) =>
  new BerthError(
    'E_CONFLICT',
    `the engine name ${d.request.name} is taken by ${holderOf('Container', holder.labels)}`,
    {
      object: `Container/${d.name}`,
      hint: 'rename or remove that container yourself; berth will not adopt, rename or remove it',
    },
  );

/** Runs the container machine to its end. Never rejects: failures are in the output. */
export async function runContainer(
  driver: ContainerDriver,
  input: ContainerMachineInput,
): Promise<ContainerMachineOutput> {
  const machine = containerMachine.provide({
    actors: containerActors(driver),
    actions: { leaveSlot: () => driver.leaveSlot?.() },
  });
  const actor = createActor(machine, { input });
  actor.subscribe({ error: () => undefined });
  actor.start();
  try {
    return await toPromise(actor);
  } catch (error) {
    return { outcome: 'failed', ops: [], error };
  }
}
