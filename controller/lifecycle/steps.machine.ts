import { assign, fromPromise, setup } from 'xstate';
import { isEngineError } from '../engine/engine.js';
import type { PlanStep } from '../plan/plan-types.js';

export interface StepsMachineInput {
  steps: PlanStep[];
  /** Attempts per step for transient engine errors. */
  maxAttempts?: number;
}

export interface StepsMachineOutput {
  outcome: 'converged' | 'failed';
  done: PlanStep[];
  error?: unknown;
}

interface StepsContext {
  outcome?: StepsMachineOutput['outcome'];
  steps: PlanStep[];
  index: number;
  attempts: number;
  maxAttempts: number;
  error?: unknown;
}

/**
 * Drives an image, network, volume or bind mount through its planned steps, one engine
 * call at a time, retrying transient engine failures with exponential back-off. The step
 * implementation is the `runStep` actor, supplied with `provide`; it must be idempotent.
 */
export const stepsMachine = setup({
  types: {
    context: {} as StepsContext,
    input: {} as StepsMachineInput,
    output: {} as StepsMachineOutput,
  },
  actors: {
    runStep: fromPromise<void, { step: PlanStep }>(async () => {
      throw new Error('steps machine: actor runStep was not provided');
    }),
  },
  guards: {
    allDone: ({ context }) => context.index >= context.steps.length,
    // Only the engine's own hiccups are worth another try; conflicts, missing objects
    // and failed pulls/builds will fail the same way again.
    canRetry: ({ context, event }) => {
      const error = (event as { error?: unknown }).error;
      return context.attempts + 1 < context.maxAttempts && isEngineError(error, 'E_ENGINE');
    },
  },
  delays: {
    backoff: ({ context }) => 200 * 2 ** context.attempts,
  },
}).createMachine({
  id: 'steps',
  context: ({ input }) => ({
    steps: input.steps,
    index: 0,
    attempts: 0,
    maxAttempts: input.maxAttempts ?? 3,
  }),
  initial: 'next',
  states: {
    next: {
      always: [{ guard: 'allDone', target: 'converged' }, { target: 'running' }],
    },
    running: {
      invoke: {
        src: 'runStep',
        input: ({ context }) => ({ step: context.steps[context.index] as PlanStep }),
        onDone: {
          target: 'next',
          actions: assign(({ context }) => ({ index: context.index + 1, attempts: 0 })),
        },
        onError: [
          {
            guard: 'canRetry',
            target: 'backingOff',
            actions: assign(({ context, event }) => ({
              attempts: context.attempts + 1,
              error: event.error,
            })),
          },
          { target: 'failed', actions: assign({ error: ({ event }) => event.error }) },
        ],
      },
    },
    backingOff: { after: { backoff: 'running' } },
    converged: { type: 'final', entry: assign({ outcome: 'converged' as const }) },
    failed: { type: 'final', entry: assign({ outcome: 'failed' as const }) },
  },
  output: ({ context }) => ({
    outcome: context.outcome ?? 'failed',
    done: context.steps.slice(0, context.index),
    error: context.error,
  }),
});
