import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import type { DesiredContainerState } from '../../specs/model.js';
import {
  containerOpSequence,
  stateAfter,
  type ContainerOp,
  type ObservedContainerState,
} from './container-decision.js';
import { containerMachine, type ContainerSnapshot } from './container.machine.js';

/** A one-container fake engine: operations move its state as the real engine would. */
function fakeActors(
  initial: ObservedContainerState,
  opts: { failOn?: ContainerOp; settleTo?: ObservedContainerState } = {},
) {
  let state = initial;
  const log: ContainerOp[] = [];
  const run = (op: ContainerOp) =>
    fromPromise<void, { containerId?: string }>(async () => {
      log.push(op);
      if (opts.failOn === op) throw new Error(`injected ${op} failure`);
      state = stateAfter(op);
    });
  return {
    log,
    state: () => state,
    actors: {
      create: fromPromise<{ containerId: string }, { containerId?: string }>(async () => {
        log.push('create');
        state = 'created';
        return { containerId: 'c1' };
      }),
      start: run('start'),
      stop: run('stop'),
      pause: run('pause'),
      unpause: run('unpause'),
      remove: run('remove'),
      inspect: fromPromise<ContainerSnapshot, { containerId?: string }>(async () => {
        if ((state === 'restarting' || state === 'removing') && opts.settleTo)
          state = opts.settleTo;
        return { observed: state, containerId: state === 'absent' ? undefined : 'c1' };
      }),
    },
  };
}

async function drive(observed: ObservedContainerState, desired: DesiredContainerState, opts = {}) {
  const fake = fakeActors(observed, opts);
  const actor = createActor(containerMachine.provide({ actors: fake.actors }), {
    input: {
      key: 'Container/web',
      containerId: observed === 'absent' ? undefined : 'c1',
      situation: { observed, desired, replace: false, restartPolicy: 'Always' },
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
});
