import { assign, fromPromise, setup } from 'xstate';
import { isEngineError } from '../engine/engine.js';
import {
  decideContainer,
  stateAfter,
  type ContainerOp,
  type ContainerSituation,
  type ObservedContainerState,
} from './container-decision.js';

/** What the engine says of the container now (after `inspect`). */
export interface ContainerSnapshot {
  observed: ObservedContainerState;
  containerId?: string;
  exitCode?: number;
}

/**
 * `adopted`: the name was taken by a container with our labels and the same spec (left by
 * an interrupted run, or a concurrent apply): it is taken over as it is.
 */
export interface CreateOutput {
  containerId: string;
  adopted?: ContainerSnapshot;
}

export interface ContainerMachineInput {
  key: string;
  containerId?: string;
  situation: ContainerSituation;
  /** How many times to wait out `restarting`/`removing` before giving up. */
  maxSettleWaits?: number;
}

export interface ContainerMachineContext {
  outcome?: ContainerMachineOutput['outcome'];
  key: string;
  containerId?: string;
  situation: ContainerSituation;
  /** Operations run so far, in order. */
  ops: ContainerOp[];
  settleWaits: number;
  maxSettleWaits: number;
  verifications: number;
  /** Transient engine failures retried so far. */
  retries: number;
  reason?: string;
  error?: unknown;
}

export interface ContainerMachineOutput {
  outcome: 'converged' | 'held' | 'failed';
  ops: ContainerOp[];
  containerId?: string;
  reason?: string;
  error?: unknown;
}

type OpInput = { containerId?: string };

const notProvided = (name: string) =>
  fromPromise<void, OpInput>(async () => {
    throw new Error(`container machine: actor ${name} was not provided`);
  });

const MAX_VERIFICATIONS = 3;
const MAX_RETRIES = 3;

/**
 * A failed operation: an engine hiccup is retried after a back-off, from a fresh look at
 * the container (the operation may have half-happened); anything else fails the machine.
 */
const OP_ERROR = [
  { guard: 'canRetry', target: 'recovering', actions: ['recordError', 'countRetry'] },
  { target: 'failed', actions: 'recordError' },
] as const;

/**
 * The container lifecycle as a machine. It holds no engine: every operation is an actor
 * supplied with `containerMachine.provide({ actors })` — engine calls in production,
 * fakes in tests — and every operation is idempotent, since a retried machine may run
 * one again. The next operation always comes from `decideContainer` (the lifecycle
 * table), the same function the planner uses.
 */
export const containerMachine = setup({
  types: {
    context: {} as ContainerMachineContext,
    input: {} as ContainerMachineInput,
    output: {} as ContainerMachineOutput,
  },
  actors: {
    create: fromPromise<CreateOutput, OpInput>(async () => {
      throw new Error('container machine: actor create was not provided');
    }),
    start: notProvided('start'),
    stop: notProvided('stop'),
    pause: notProvided('pause'),
    unpause: notProvided('unpause'),
    remove: notProvided('remove'),
    inspect: fromPromise<ContainerSnapshot, OpInput>(async () => {
      throw new Error('container machine: actor inspect was not provided');
    }),
  },
  guards: {
    nextIs: ({ context }, params: { op: ContainerOp }) => {
      const d = decideContainer(context.situation);
      return d.kind === 'op' && d.op === params.op;
    },
    mustWait: ({ context }) => decideContainer(context.situation).kind === 'wait',
    isHeld: ({ context }) => decideContainer(context.situation).kind === 'hold',
    settledTooLong: ({ context }) => context.settleWaits >= context.maxSettleWaits,
    nothingDone: ({ context }) => context.ops.length === 0 && context.verifications === 0,
    isDone: ({ context }) => decideContainer(context.situation).kind === 'done',
    canRetry: ({ context, event }) =>
      context.retries < MAX_RETRIES &&
      isEngineError((event as { error?: unknown }).error, 'E_ENGINE'),
    canVerifyAgain: ({ context }) => context.verifications < MAX_VERIFICATIONS,
  },
  actions: {
    recordOp: assign(({ context }, params: { op: ContainerOp }) => ({
      error: undefined,
      ops: [...context.ops, params.op],
      situation: { ...context.situation, observed: stateAfter(params.op), exitCode: undefined },
    })),
    countRetry: assign({ retries: ({ context }) => context.retries + 1 }),
    recordError: assign({ error: ({ event }) => (event as { error?: unknown }).error }),
    recordHoldReason: assign({
      reason: ({ context }) => {
        const d = decideContainer(context.situation);
        return d.kind === 'hold' ? d.reason : undefined;
      },
    }),
  },
  delays: {
    settleDelay: 250,
    retryDelay: ({ context }) => 100 * 2 ** context.retries,
  },
}).createMachine({
  id: 'container',
  context: ({ input }) => ({
    key: input.key,
    containerId: input.containerId,
    situation: input.situation,
    ops: [],
    settleWaits: 0,
    maxSettleWaits: input.maxSettleWaits ?? 120,
    verifications: 0,
    retries: 0,
  }),
  initial: 'deciding',
  states: {
    deciding: {
      always: [
        { guard: 'mustWait', target: 'settling' },
        { guard: { type: 'nextIs', params: { op: 'create' } }, target: 'creating' },
        { guard: { type: 'nextIs', params: { op: 'start' } }, target: 'starting' },
        { guard: { type: 'nextIs', params: { op: 'stop' } }, target: 'stopping' },
        { guard: { type: 'nextIs', params: { op: 'pause' } }, target: 'pausing' },
        { guard: { type: 'nextIs', params: { op: 'unpause' } }, target: 'unpausing' },
        { guard: { type: 'nextIs', params: { op: 'remove' } }, target: 'removing' },
        { guard: 'isHeld', target: 'held', actions: 'recordHoldReason' },
        { guard: 'nothingDone', target: 'converged' },
        { target: 'verifying' },
      ],
    },
    creating: {
      invoke: {
        id: 'create',
        src: 'create',
        input: ({ context }) => ({ containerId: context.containerId }),
        onDone: {
          target: 'deciding',
          actions: assign(({ context, event }) => ({
            containerId: event.output.containerId,
            ops: [...context.ops, 'create' as const],
            situation: {
              ...context.situation,
              observed: event.output.adopted?.observed ?? ('created' as const),
              exitCode: event.output.adopted?.exitCode,
              replace: false,
            },
          })),
        },
        onError: OP_ERROR,
      },
    },
    starting: {
      invoke: {
        id: 'start',
        src: 'start',
        input: ({ context }) => ({ containerId: context.containerId }),
        onDone: { target: 'deciding', actions: { type: 'recordOp', params: { op: 'start' } } },
        onError: OP_ERROR,
      },
    },
    stopping: {
      invoke: {
        id: 'stop',
        src: 'stop',
        input: ({ context }) => ({ containerId: context.containerId }),
        onDone: { target: 'deciding', actions: { type: 'recordOp', params: { op: 'stop' } } },
        onError: OP_ERROR,
      },
    },
    pausing: {
      invoke: {
        id: 'pause',
        src: 'pause',
        input: ({ context }) => ({ containerId: context.containerId }),
        onDone: { target: 'deciding', actions: { type: 'recordOp', params: { op: 'pause' } } },
        onError: OP_ERROR,
      },
    },
    unpausing: {
      invoke: {
        id: 'unpause',
        src: 'unpause',
        input: ({ context }) => ({ containerId: context.containerId }),
        onDone: { target: 'deciding', actions: { type: 'recordOp', params: { op: 'unpause' } } },
        onError: OP_ERROR,
      },
    },
    removing: {
      invoke: {
        id: 'remove',
        src: 'remove',
        input: ({ context }) => ({ containerId: context.containerId }),
        onDone: {
          target: 'deciding',
          actions: assign(({ context }) => ({
            containerId: undefined,
            ops: [...context.ops, 'remove' as const],
            situation: { ...context.situation, observed: 'absent' as const, exitCode: undefined },
          })),
        },
        onError: OP_ERROR,
      },
    },
    recovering: {
      after: { retryDelay: 'refreshing' },
    },
    settling: {
      always: {
        guard: 'settledTooLong',
        target: 'failed',
        actions: assign({
          reason: ({ context }) =>
            `still ${context.situation.observed} after ${context.settleWaits} checks (crash loop?)`,
        }),
      },
      after: { settleDelay: 'refreshing' },
    },
    refreshing: {
      invoke: {
        id: 'inspect',
        src: 'inspect',
        input: ({ context }) => ({ containerId: context.containerId }),
        onDone: {
          target: 'deciding',
          actions: assign(({ context, event }) => ({
            ...withSnapshot(context, event.output),
            settleWaits: context.settleWaits + 1,
          })),
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    verifying: {
      invoke: {
        id: 'verify',
        src: 'inspect',
        input: ({ context }) => ({ containerId: context.containerId }),
        onDone: {
          target: 'checking',
          actions: assign(({ context, event }) => ({
            ...withSnapshot(context, event.output),
            verifications: context.verifications + 1,
          })),
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    // After verifying, the engine's own word decides: done, held, another round, or failure.
    checking: {
      always: [
        { guard: 'isDone', target: 'converged' },
        { guard: 'isHeld', target: 'held', actions: 'recordHoldReason' },
        { guard: 'canVerifyAgain', target: 'deciding' },
        {
          target: 'failed',
          actions: assign({
            reason: ({ context }) =>
              `is ${context.situation.observed}${exitCodeText(context)} after ${context.verifications} attempts, declared ${context.situation.desired}`,
          }),
        },
      ],
    },
    converged: { type: 'final', entry: assign({ outcome: 'converged' as const }) },
    held: { type: 'final', entry: assign({ outcome: 'held' as const }) },
    failed: { type: 'final', entry: assign({ outcome: 'failed' as const }) },
  },
  output: ({ context }) => {
    return {
      outcome: context.outcome ?? 'failed',
      ops: context.ops,
      containerId: context.containerId,
      reason: context.reason,
      error: context.error,
    };
  },
});

function exitCodeText(context: ContainerMachineContext): string {
  const code = context.situation.exitCode;
  return code === undefined || context.situation.observed === 'running'
    ? ''
    : ` (exit code ${code})`;
}

function withSnapshot(context: ContainerMachineContext, snapshot: ContainerSnapshot) {
  return {
    containerId:
      snapshot.containerId ?? (snapshot.observed === 'absent' ? undefined : context.containerId),
    situation: { ...context.situation, observed: snapshot.observed, exitCode: snapshot.exitCode },
  };
}
