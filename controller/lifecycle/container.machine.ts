import { assign, fromPromise, setup } from 'xstate';
import { isEngineError } from '../engine/engine.js';
import { situationAfter } from './container-decision.js';
import type {
  ContainerMachineContext,
  ContainerMachineInput,
  ContainerMachineOutput,
  ContainerSnapshot,
  OperateInput,
  OperateOutput,
} from './container-machine-types.js';
import {
  crashAfterStartText,
  crashedAfterStart,
  decision,
  exitCodeText,
  holdMs,
  lastExitText,
  refusedAtInterrupt,
  runToJudge,
  settleDelayMs,
  withSnapshot,
} from './container-machine-checks.js';

/** Looks before a container still `restarting`/`removing` fails: about 30 s (250+500+30×1000 ms). */
const DEFAULT_SETTLE_WAITS = 32;

/**
 * Looks at a container the engine is restarting when this run has not touched it (≈1.75 s):
 * a single restart after a crash settles within them; a crash loop does not, and the engine's
 * own back-off grows to a minute, so more looks only delay the same answer (F341: an apply of
 * another object failed on it after 36 s). Only when starts are judged (`startSettleMs`).
 */
const UNTOUCHED_SETTLE_WAITS = 3;

const MAX_VERIFICATIONS = 3;
const MAX_RETRIES = 3;

/**
 * A failed operation: an engine hiccup is retried after a back-off, from a fresh look at
 * the container (the operation may have half-happened); anything else fails the machine.
 */
const OP_ERROR = [
  { guard: 'staleTask', target: 'deciding', actions: 'takeAsDead' },
  { guard: 'canRetry', target: 'recovering', actions: ['recordError', 'countRetry'] },
  { target: 'failed', actions: 'recordError' },
] as const;

/**
 * The container lifecycle as a machine. Each pass asks the lifecycle table
 * (`decideContainer`, the same function the planner uses) once, and runs what it says in
 * one generic `operating` state. It holds no engine: the `operate` and `inspect` actors are
 * supplied with `containerMachine.provide({ actors })` — engine calls in production, fakes in
 * tests — and every operation is idempotent, since a retried machine may run one again.
 */
export const containerMachine = setup({
  types: {
    context: {} as ContainerMachineContext,
    input: {} as ContainerMachineInput,
    output: {} as ContainerMachineOutput,
  },
  actors: {
    operate: fromPromise<OperateOutput, OperateInput>(async () => {
      throw new Error('container machine: actor operate was not provided');
    }),
    inspect: fromPromise<ContainerSnapshot, { containerId?: string }>(async () => {
      throw new Error('container machine: actor inspect was not provided');
    }),
  },
  guards: {
    isOp: ({ context }) => decision(context).kind === 'op',
    mustWait: ({ context }) => decision(context).kind === 'wait',
    isHeld: ({ context }) => decision(context).kind === 'hold',
    mustBackOff: ({ context }) => decision(context).kind === 'backoff',
    settledTooLong: ({ context }) => context.settleWaits >= context.maxSettleWaits,
    untouchedCrashLoop: ({ context }) =>
      context.startSettleMs > 0 &&
      context.ops.length === 0 &&
      context.settleWaits >= UNTOUCHED_SETTLE_WAITS,
    crashedAfterStart: ({ context }) => crashedAfterStart(context),
    mustHoldStart: ({ context }) =>
      runToJudge(context) &&
      context.startedRun === undefined &&
      context.situation.observed === 'running' &&
      holdMs(context) > 0,
    nothingDone: ({ context }) =>
      context.ops.length === 0 && context.verifications === 0 && !runToJudge(context),
    isDone: ({ context }) => decision(context).kind === 'done',
    canRetry: ({ context, event }) =>
      context.retries < MAX_RETRIES &&
      isEngineError((event as { error?: unknown }).error, 'E_ENGINE'),
    // Once per run: a second such answer, for the new container too, is not the old task.
    staleTask: ({ context, event }) => {
      const error = (event as { error?: unknown }).error;
      return (
        context.pending?.op === 'start' &&
        !context.staleTaskReplaced &&
        isEngineError(error) &&
        error.detail?.staleTask === true
      );
    },
    canVerifyAgain: ({ context }) => context.verifications < MAX_VERIFICATIONS,
    doneWhenLookRefused: ({ context, event }) =>
      refusedAtInterrupt((event as { error?: unknown }).error) &&
      context.ops.length > 0 &&
      decision(context).kind === 'done',
  },
  actions: {
    takeDecision: assign({
      pending: ({ context }) => {
        const d = decision(context);
        return d.kind === 'op' ? { op: d.op, restart: d.restart } : undefined;
      },
    }),
    recordOp: assign(({ context, event }) => {
      const pending = context.pending as NonNullable<ContainerMachineContext['pending']>;
      const output = (event as { output?: OperateOutput }).output ?? {};
      const after = situationAfter(context.situation, pending.op, pending.restart);
      const adopted = output.adopted;
      return {
        error: undefined,
        pending: undefined,
        ops: [...context.ops, pending.op],
        restarts: pending.restart ? [...context.restarts, pending.restart] : context.restarts,
        containerId:
          pending.op === 'remove' ? undefined : (output.containerId ?? context.containerId),
        situation: adopted
          ? { ...after, observed: adopted.observed, exitCode: adopted.exitCode }
          : after,
      };
    }),
    // The engine refused to start it because its runtime kept the task of an earlier run
    // (F766): no start of this container can succeed, so it is dead to berth and replaced by
    // the same declaration, as Docker's own `dead` state is.
    takeAsDead: assign(({ context }) => ({
      pending: undefined,
      staleTaskReplaced: true,
      situation: { ...context.situation, observed: 'dead' as const },
      reason:
        'recreated: the engine still held a task of its earlier run (after an engine restart)',
    })),
    countRetry: assign({ retries: ({ context }) => context.retries + 1 }),
    recordError: assign({ error: ({ event }) => (event as { error?: unknown }).error }),
    // Provided by the executor: a held start waits without a parallel slot (Semaphore `leave`).
    leaveSlot: () => undefined,
    recordHoldReason: assign(({ context }) => {
      const d = decision(context);
      if (d.kind === 'hold') return { reason: d.reason };
      if (d.kind === 'backoff') return { reason: d.reason, retryAfterMs: d.waitMs };
      return {};
    }),
  },
  delays: {
    // 250 ms, then doubling to 1 s: a container the engine restarts after its own back-off
    // (up to a minute) is looked at a few times, not four times a second (issue 11, storm CPU).
    settleDelay: ({ context }) => settleDelayMs(context.settleWaits),
    startSettle: ({ context }) => holdMs(context),
    retryDelay: ({ context }) => 100 * 2 ** context.retries,
  },
}).createMachine({
  id: 'container',
  context: ({ input }) => ({
    key: input.key,
    containerId: input.containerId,
    situation: input.situation,
    ops: [],
    restarts: [],
    settleWaits: 0,
    maxSettleWaits: input.maxSettleWaits ?? DEFAULT_SETTLE_WAITS,
    startSettleMs: input.startSettleMs ?? 0,
    verifications: 0,
    retries: 0,
  }),
  initial: 'deciding',
  states: {
    // One question to the lifecycle table per pass.
    deciding: {
      always: [
        { guard: 'mustWait', target: 'settling' },
        { guard: 'isOp', target: 'operating', actions: 'takeDecision' },
        { guard: 'isHeld', target: 'held', actions: 'recordHoldReason' },
        { guard: 'mustBackOff', target: 'held', actions: 'recordHoldReason' },
        { guard: 'nothingDone', target: 'converged' },
        { target: 'verifying' },
      ],
    },
    operating: {
      invoke: {
        id: 'operate',
        src: 'operate',
        input: ({ context }) => ({
          op: (context.pending as NonNullable<ContainerMachineContext['pending']>).op,
          containerId: context.containerId,
        }),
        onDone: { target: 'deciding', actions: 'recordOp' },
        onError: OP_ERROR,
      },
    },
    recovering: {
      after: { retryDelay: 'refreshing' },
    },
    settling: {
      always: [
        // An apply that did not touch a crash-looping container reports it (exit 2: it is
        // declared running and is not, as `status` says CrashLoopBackOff) in a couple of
        // seconds, not half a minute: waiting cannot change what the engine's back-off does.
        {
          guard: 'untouchedCrashLoop',
          target: 'failed',
          actions: assign({
            reason: ({ context }) =>
              `CrashLoopBackOff: the engine is still restarting it after ${context.settleWaits} checks${lastExitText(context)}; this apply did not change it`,
          }),
        },
        {
          guard: 'settledTooLong',
          target: 'failed',
          actions: assign({
            reason: ({ context }) =>
              `still ${context.situation.observed} after ${context.settleWaits} checks (crash loop?)`,
          }),
        },
      ],
      after: { settleDelay: 'refreshing' },
    },
    // A run seen up but younger than `startSettleMs` is looked at again once it is that old;
    // the wait holds no parallel slot.
    holdingStart: {
      entry: [assign({ startedRun: ({ context }) => context.lastSeen }), 'leaveSlot'],
      after: { startSettle: 'verifying' },
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
        onError: [
          // Ctrl-C refuses every new call, the look after this machine's own calls included:
          // those calls were answered and left it as declared as far as berth knows, so it
          // counts as done as last known, not as failed (F541, F429: a start sent before Ctrl-C
          // whose container runs was reported `not done`).
          {
            guard: 'doneWhenLookRefused',
            target: 'converged',
            actions: assign({ reason: 'not looked at again after Ctrl-C' }),
          },
          { target: 'failed', actions: 'recordError' },
        ],
      },
    },
    // After verifying, the engine's own word decides: done, held, another round, or failure.
    checking: {
      always: [
        {
          guard: 'crashedAfterStart',
          target: 'failed',
          actions: assign({ reason: ({ context }) => crashAfterStartText(context) }),
        },
        { guard: 'mustHoldStart', target: 'holdingStart' },
        { guard: 'isDone', target: 'converged' },
        { guard: 'isHeld', target: 'held', actions: 'recordHoldReason' },
        { guard: 'mustBackOff', target: 'held', actions: 'recordHoldReason' },
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
  output: ({ context }) => ({
    outcome: context.outcome ?? 'failed',
    ops: context.ops,
    restarts: context.restarts,
    containerId: context.containerId,
    reason: context.reason,
    retryAfterMs: context.retryAfterMs,
    error: context.error,
  }),
});
