import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import type { DesiredContainerState } from '../../specs/model.js';
import { EngineError } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import {
  containerOpSequence,
  stateAfter,
  type ContainerOp,
  type ContainerSituation,
  type ObservedContainerState,
} from './container-decision.js';
import { containerMachine } from './container.machine.js';
import type { ContainerSnapshot, OperateInput, OperateOutput } from './container-machine-types.js';

/** A one-container fake engine: operations move its state as the real engine would. */
function fakeActors(
  initial: ObservedContainerState,
  opts: {
    failOn?: ContainerOp;
    settleTo?: ObservedContainerState;
    /** Ctrl-C lands while this operation is under way: every later call is refused. */
    interruptDuring?: ContainerOp;
    /** The first this many starts are refused as the engine refuses a stale task (F766). */
    staleTaskStarts?: number;
  } = {},
) {
  let state = initial;
  let staleLeft = opts.staleTaskStarts ?? 0;
  const log: ContainerOp[] = [];
  const refused = () => opts.interruptDuring !== undefined && log.includes(opts.interruptDuring);
  const refusal = () => new BerthError('E_INTERRUPTED', 'interrupted (Ctrl-C): not started');
  return {
    log,
    state: () => state,
    actors: {
      operate: fromPromise<OperateOutput, OperateInput>(async ({ input }) => {
        if (refused()) throw refusal();
        log.push(input.op);
        if (opts.failOn === input.op) throw new Error(`injected ${input.op} failure`);
        if (input.op === 'start' && staleLeft-- > 0)
          throw new EngineError('E_CONFLICT', 'start c1: task c1: already exists', {
            operation: 'start',
            staleTask: true,
          });
        state = stateAfter(input.op);
        return input.op === 'create' ? { containerId: 'c1' } : {};
      }),
      inspect: fromPromise<ContainerSnapshot, { containerId?: string }>(async () => {
        if (refused()) throw refusal();
        if ((state === 'restarting' || state === 'removing') && opts.settleTo)
          state = opts.settleTo;
        return { observed: state, containerId: state === 'absent' ? undefined : 'c1' };
      }),
    },
  };
}

async function drive(
  observed: ObservedContainerState,
  desired: DesiredContainerState,
  opts = {},
  extra: Partial<ContainerSituation> = {},
) {
  const fake = fakeActors(observed, opts);
  const actor = createActor(containerMachine.provide({ actors: fake.actors }), {
    input: {
      key: 'Container/web',
      containerId: observed === 'absent' ? undefined : 'c1',
      situation: { observed, desired, replace: false, restartPolicy: 'Always', ...extra },
    },
  });
  actor.start();
  const output = await toPromise(actor);
  return { output, fake };
}

const OBSERVED: ObservedContainerState[] = [
  'absent',
  'created',
  'running',
  'paused',
  'exited',
  'dead',
];
const DESIRED: DesiredContainerState[] = ['created', 'running', 'paused', 'exited'];

describe('container machine', () => {
  it('replaces a container whose start the engine refuses for a task kept from before (F766)', async () => {
    const { output, fake } = await drive('exited', 'running', { staleTaskStarts: 1 });
    expect(fake.log).toEqual(['start', 'remove', 'create', 'start']);
    expect(output.outcome).toBe('converged');
    expect(output.reason).toMatch(/still held a task of its earlier run/);
  });

  it('replaces it only once: the new container refused too is a failure', async () => {
    const { output, fake } = await drive('exited', 'running', { staleTaskStarts: 2 });
    expect(fake.log).toEqual(['start', 'remove', 'create', 'start']);
    expect(output.outcome).toBe('failed');
    expect(output.error).toMatchObject({ code: 'E_CONFLICT' });
  });

  for (const observed of OBSERVED) {
    for (const desired of DESIRED) {
      it(`drives ${observed} → ${desired} with the table's operations`, async () => {
        const { output, fake } = await drive(observed, desired);
        const expected = containerOpSequence({
          observed,
          desired,
          replace: false,
          restartPolicy: 'Always',
        }).ops;
        expect(output.outcome).toBe('converged');
        expect(fake.log).toEqual(expected);
        expect(fake.state()).toBe(desired);
      });
    }
  }

  it('waits out restarting, then decides again', async () => {
    const { output, fake } = await drive('restarting', 'running', { settleTo: 'exited' });
    expect(output.outcome).toBe('converged');
    expect(fake.log).toEqual(['start']);
  });

  it('fails with the engine error when an operation fails', async () => {
    const { output } = await drive('created', 'running', { failOn: 'start' });
    expect(output.outcome).toBe('failed');
    expect(String(output.error)).toContain('injected start failure');
  });

  it('counts a start answered before Ctrl-C as done when Ctrl-C refuses the look after it (F541)', async () => {
    const { output, fake } = await drive('absent', 'running', { interruptDuring: 'start' });
    expect(fake.state()).toBe('running');
    expect(output).toMatchObject({
      outcome: 'converged',
      ops: ['create', 'start'],
      reason: 'not looked at again after Ctrl-C',
    });
  });

  it('fails, with what it did, when Ctrl-C refuses an operation still to run (F541)', async () => {
    const { output, fake } = await drive('absent', 'running', { interruptDuring: 'create' });
    expect(fake.state()).toBe('created');
    expect(output).toMatchObject({ outcome: 'failed', ops: ['create'] });
    expect(output.error).toMatchObject({ code: 'E_INTERRUPTED' });
  });

  it('restarts an unhealthy container as a cell of the table: stop, then start, counted once', async () => {
    const { output, fake } = await drive(
      'running',
      'running',
      {},
      {
        health: 'unhealthy',
        restartOnUnhealthy: true,
        restartPolicy: 'Never',
      },
    );
    expect(output.outcome).toBe('converged');
    expect(fake.log).toEqual(['stop', 'start']);
    expect(output.restarts).toEqual(['unhealthy']);
  });

  it('leaves an unhealthy container alone when restartOnUnhealthy is off', async () => {
    const { output, fake } = await drive('running', 'running', {}, { health: 'unhealthy' });
    expect(output.outcome).toBe('converged');
    expect(fake.log).toEqual([]);
  });

  it('holds a restart while its back-off runs, and says for how long', async () => {
    const { output, fake } = await drive(
      'exited',
      'running',
      {},
      { backoffMs: 20_000, exitCode: 1 },
    );
    expect(output.outcome).toBe('held');
    expect(fake.log).toEqual([]);
    expect(output.retryAfterMs).toBe(20_000);
    expect(output.reason).toBe('exited (exit code 1); back-off: next restart in 20s');
  });

  it('counts a restart after an exit', async () => {
    const { output, fake } = await drive('exited', 'running');
    expect(fake.log).toEqual(['start']);
    expect(output.restarts).toEqual(['exit']);
  });

  it('never restarts for a health status it had while paused: unpausing clears it', async () => {
    const { output, fake } = await drive(
      'paused',
      'running',
      {},
      {
        health: 'unhealthy',
        restartOnUnhealthy: true,
      },
    );
    expect(output.outcome).toBe('converged');
    expect(fake.log).toEqual(['unpause']);
  });
});
