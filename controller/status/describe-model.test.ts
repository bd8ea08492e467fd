import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/engine.js';
import { describeOutput } from './describe-model.js';
import type { ObjectStatus } from './status-types.js';
import { NOW, containerObject } from './testing/fixtures.js';
import { sampleStatus } from './testing/sample-status.js';

/** The sample's crash-looping container, caught in the short running moment between runs. */
function runningBetweenRestarts(): ObjectStatus {
  const worker = sampleStatus().objects.find((o) => o.key === 'Container/worker')!;
  return { ...worker, observed: 'running', lastExitCode: null, exitCode: null, restarts: 5 };
}

const died = (id: string, exitCode: string, time: number): EngineEvent => ({
  type: 'container',
  action: 'die',
  change: 'exited',
  id,
  name: 'shop-worker',
  labels: {},
  time,
  attributes: { exitCode },
});

describe('describe of a container the engine runs again after it stopped (F805)', () => {
  it('gives the exit code of its newest die event when the engine has reset it', () => {
    const status = runningBetweenRestarts();
    const events = [
      died(status.id!, '1', NOW - 9_000),
      died(status.id!, '3', NOW - 2_000),
      // Another container of that name (an earlier one, since replaced) says nothing of this one.
      died('an-earlier-container', '9', NOW - 1_000),
    ];
    const out = describeOutput(status, containerObject('worker'), [], events);
    expect(out.status).toMatchObject({ lastExitCode: 3, exitCode: 3 });
  });

  it('leaves it unknown for a container that never stopped, and keeps what the engine said', () => {
    const never = { ...runningBetweenRestarts(), restarts: 0 };
    const events = [died(never.id!, '3', NOW - 2_000)];
    expect(describeOutput(never, undefined, [], events).status.lastExitCode).toBeNull();
    const known = { ...runningBetweenRestarts(), lastExitCode: 2 };
    expect(describeOutput(known, undefined, [], events).status.lastExitCode).toBe(2);
  });
});
