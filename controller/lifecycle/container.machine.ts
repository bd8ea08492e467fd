import { assign, fromPromise, setup } from 'xstate';
import { isEngineError } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import {
  decideContainer,
  situationAfter,
  type ContainerDecision,
  type ContainerOp,
  type ContainerSituation,
  type ObservedContainerState,
  type RestartReason,
} from './container-decision.js';

/** What the engine says of the container now (after `inspect`). */
export interface ContainerSnapshot {
  observed: ObservedContainerState;
  containerId?: string;
  exitCode?: number;
  /** The engine's restart count (its restart policy at work), when known. */
  restartCount?: number;
  /** Unix ms (engine clock) its current or last run started, when known. */
  startedAt?: number;
  /**
   * How long the current run had been up when it was looked at (ms), as the driver measures
   * it; never more than the time since berth's start of it. Unset: unknown.
   */
  runAgeMs?: number;
}

/**
 * What one operation reports. `create` gives the new id; `adopted`: the name was taken by a
 * container with our labels and the same spec (an interrupted run, a concurrent apply): it is
 * taken over as it is.
 */
export interface OperateOutput {
  containerId?: string;
  adopted?: ContainerSnapshot;
}

/** Kept for the actor that creates: its output. */
export type CreateOutput = OperateOutput & { containerId: string };

export interface OperateInput {
  op: ContainerOp;
  containerId?: string;
}

export interface ContainerMachineInput {
  key: string;
  containerId?: string;
  situation: ContainerSituation;
  /** How many times to wait out `restarting`/`removing` before giving up. */
  maxSettleWaits?: number;
  /**
   * A run berth started (or the engine's restart policy started while this machine waited
   * out `restarting`) counts as started once it has been up this long (ms, START_SETTLE_MS);
   * 0: believed at the first look. F341: a process that exits at once is `running` or
   * `restarting` by chance at that look, so one input gave `converged` or `failed`.
   */
  startSettleMs?: number;
}

export interface ContainerMachineContext {
  outcome?: ContainerMachineOutput['outcome'];
  key: string;
  containerId?: string;
  situation: ContainerSituation;
  /** The decision being carried out by `operating`. */
  pending?: { op: ContainerOp; restart?: RestartReason };
  /** Operations run so far, in order. */
  ops: ContainerOp[];
  /** Restarts begun so far (each counted and backed off by the caller). */
  restarts: RestartReason[];
  settleWaits: number;
  maxSettleWaits: number;
  startSettleMs: number;
  /** The engine's word at the last look: the run a start is judged by. */
  lastSeen?: ContainerSnapshot;
  /** The run seen right after a start, held until it is `startSettleMs` old. */
  startedRun?: ContainerSnapshot;
  verifications: number;
  /** Transient engine failures retried so far. */
  retries: number;
  reason?: string;
  /** Set when a restart waits for its back-off: look again after this many ms. */
  retryAfterMs?: number;
  error?: unknown;
}

export interface ContainerMachineOutput {
  outcome: 'converged' | 'held' | 'failed';
  ops: ContainerOp[];
  restarts?: RestartReason[];
  containerId?: string;
  reason?: string;
  retryAfterMs?: number;
  error?: unknown;
}

/** Wait before the `n`th look (from 0) at a container the engine is restarting or removing. */
export function settleDelayMs(n: number): number {
  return Math.min(250 * 2 ** n, 1000);
}

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
  { guard: 'canRetry', target: 'recovering', actions: ['recordError', 'countRetry'] },
  { target: 'failed', actions: 'recordError' },
] as const;

const decision = (context: ContainerMachineContext): ContainerDecision =>
  decideContainer(context.situation);

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

/** The refusal of a call after Ctrl-C (SIGTERM, SIGHUP) by the interrupt's guard (interrupt.ts). */
function refusedAtInterrupt(error: unknown): boolean {
  return error instanceof BerthError && error.code === 'E_INTERRUPTED';
}

function exitCodeText(context: ContainerMachineContext): string {
  const code = context.situation.exitCode;
  return code === undefined || context.situation.observed === 'running'
    ? ''
    : ` (exit code ${code})`;
}

/**
 * The engine's word after an inspect. The health verdict is kept only while the container
 * stays as it was: after berth's own operations the machine knows it has not been probed.
 */
function withSnapshot(context: ContainerMachineContext, snapshot: ContainerSnapshot) {
  return {
    lastSeen: snapshot,
    containerId:
      snapshot.containerId ?? (snapshot.observed === 'absent' ? undefined : context.containerId),
    situation: { ...context.situation, observed: snapshot.observed, exitCode: snapshot.exitCode },
  };
}

/**
 * A run to judge before it is believed (only when `startSettleMs` is set): one berth just
 * started, or one the engine's restart policy started while this machine waited out
 * `restarting` (untouched: a crash loop is seen running by chance between two restarts).
 */
function runToJudge(context: ContainerMachineContext): boolean {
  if (context.startSettleMs <= 0) return false;
  return context.ops.length === 0 ? context.settleWaits > 0 : context.ops.at(-1) === 'start';
}

/** How much longer the run seen last must stay up before it counts (0: it is old enough). */
function holdMs(context: ContainerMachineContext): number {
  return Math.max(0, context.startSettleMs - (context.lastSeen?.runAgeMs ?? 0));
}

/**
 * The run judged has died: the engine restarts it (`restarting`, a restart count above the
 * one first seen, another start time), or it exited and the table would start it again.
 * Docker sets the restart count to 0 on every start by the API, so a count above 0 at the
 * first look after berth's own start is a crash already. Exit code 0 under OnFailure/Never is
 * a completion, and Never's exit is held, not a loop.
 */
function crashedAfterStart(context: ContainerMachineContext): boolean {
  if (!runToJudge(context)) return false;
  const { observed } = context.situation;
  if (observed === 'restarting') return true;
  if (observed === 'exited') return decision(context).kind === 'op';
  const now = context.lastSeen;
  if (observed !== 'running' || !now) return false;
  const first = context.startedRun;
  if (!first) return context.ops.length > 0 && (now.restartCount ?? 0) > 0;
  return (
    (now.restartCount ?? 0) > (first.restartCount ?? 0) ||
    (now.startedAt !== undefined &&
      first.startedAt !== undefined &&
      now.startedAt !== first.startedAt)
  );
}

function crashAfterStartText(context: ContainerMachineContext): string {
  const restarts = context.lastSeen?.restartCount;
  const count = restarts ? `, ${restarts} restart${restarts === 1 ? '' : 's'}` : '';
  if (context.ops.length === 0)
    return `CrashLoopBackOff: the engine keeps restarting it${lastExitText(context)}${count}; this apply did not change it`;
  return `CrashLoopBackOff: exited right after its start${lastExitText(context)}${count}; the engine restarts it`;
}

function lastExitText(context: ContainerMachineContext): string {
  const code = context.lastSeen?.exitCode ?? context.situation.exitCode;
  return code === undefined || context.situation.observed === 'running'
    ? ''
    : ` (exit code ${code})`;
}
