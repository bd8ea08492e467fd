import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import type { ContainerSituation, ObservedContainerState } from './container-decision.js';
import { containerMachine } from './container.machine.js';
import type {
  ContainerMachineOutput,
  ContainerSnapshot,
  OperateInput,
  OperateOutput,
} from './container-machine-types.js';

/**
 * F341: the answer for a container that crash-loops right after its start must not depend on
 * the moment of the first look. The fake engine answers each inspect with the next look of
 * `looks` (the last one repeats); time is a simulated clock, so nothing here depends on the
 * machine's speed. `slotLeft` counts the times the machine gave its parallel slot back.
 */
function fakeEngine(looks: ContainerSnapshot[]) {
  let seen = 0;
  const ops: string[] = [];
  const slot = { left: 0 };
  return {
    ops,
    slot,
    actors: {
      operate: fromPromise<OperateOutput, OperateInput>(async ({ input }) => {
        ops.push(input.op);
        return input.op === 'create' ? { containerId: 'c1' } : {};
      }),
      inspect: fromPromise<ContainerSnapshot, { containerId?: string }>(async () => {
        const look = looks[Math.min(seen, looks.length - 1)] as ContainerSnapshot;
        seen += 1;
        return { containerId: 'c1', ...look };
      }),
    },
  };
}

async function run(
  looks: ContainerSnapshot[],
  observed: ObservedContainerState,
  extra: Partial<ContainerSituation> = {},
): Promise<{
  output: ContainerMachineOutput;
  elapsedMs: number;
  ops: string[];
  slotLeft: number;
}> {
  const fake = fakeEngine(looks);
  const clock = new SimulatedClock();
  const machine = containerMachine.provide({
    actors: fake.actors,
    actions: { leaveSlot: () => void (fake.slot.left += 1) },
  });
  const actor = createActor(machine, {
    clock,
    input: {
      key: 'Container/j',
      containerId: observed === 'absent' ? undefined : 'c1',
      situation: {
        observed,
        desired: 'running',
        replace: false,
        restartPolicy: 'Always',
        ...extra,
      },
      startSettleMs: 750,
    },
  });
  actor.start();
  let elapsedMs = 0;
  while (actor.getSnapshot().status === 'active' && elapsedMs < 120_000) {
    await new Promise((resolve) => setImmediate(resolve));
    if (actor.getSnapshot().status !== 'active') break;
    clock.increment(50);
    elapsedMs += 50;
  }
  return {
    output: actor.getSnapshot().output as ContainerMachineOutput,
    elapsedMs,
    ops: fake.ops,
    slotLeft: fake.slot.left,
  };
}

/** A run up at the look: its restart count, start time and age (ms) then. */
const up = (restartCount: number, startedAt: number, runAgeMs = 20): ContainerSnapshot => ({
  observed: 'running',
  restartCount,
  startedAt,
  runAgeMs,
});
const restarting = (restartCount: number): ContainerSnapshot => ({
  observed: 'restarting',
  exitCode: 3,
  restartCount,
  startedAt: 1,
});

describe('a start is believed once the same run is still up (F341)', () => {
  // The same crash loop, looked at between two restarts or during one.
  const loops: Record<string, ContainerSnapshot[]> = {
    'running at the first look': [up(0, 1), restarting(1), up(2, 3), restarting(3)],
    'restarting at the first look': [restarting(1), up(2, 3), restarting(3)],
    'running at both looks, another run': [up(0, 1), up(0, 9)],
    'running at the first look, restarted already': [up(1, 3)],
  };
  for (const [name, looks] of Object.entries(loops))
    it(`fails a crash loop after berth's start, ${name}`, async () => {
      const { output, elapsedMs, ops } = await run(looks, 'absent');
      expect(ops).toEqual(['create', 'start']);
      expect(output.outcome).toBe('failed');
      expect(output.reason).toMatch(/^CrashLoopBackOff: exited right after its start/);
      expect(elapsedMs).toBeLessThan(5_000);
    });

  it('says what restarts it under OnFailure: after each failure, up to restartMaxRetries (F700)', async () => {
    const looks = [up(0, 1), restarting(1), up(2, 3), restarting(3)];
    const always = await run(looks, 'absent');
    expect(always.output.reason).toMatch(/; the engine restarts it$/);
    const onFailure = await run(looks, 'absent', { restartPolicy: 'OnFailure' });
    expect(onFailure.output.reason).toMatch(
      /; the engine restarts it after each failure \(restartPolicy OnFailure, up to restartMaxRetries when set\)$/,
    );
  });

  it('converges a run that stays up until it is old enough, waiting only what is left', async () => {
    const { output, elapsedMs, slotLeft } = await run([up(0, 1, 300)], 'absent');
    expect(output.outcome).toBe('converged');
    expect(elapsedMs).toBeGreaterThanOrEqual(450);
    expect(elapsedMs).toBeLessThan(750);
    // The wait holds no parallel slot.
    expect(slotLeft).toBe(1);
  });

  it('believes a run already old enough at the first look, without waiting', async () => {
    const { output, elapsedMs, slotLeft } = await run([up(0, 1, 800)], 'absent');
    expect(output.outcome).toBe('converged');
    expect(elapsedMs).toBe(0);
    expect(slotLeft).toBe(0);
  });

  it('converges a job that completed (exit code 0 under OnFailure) right after its start', async () => {
    const { output } = await run([{ observed: 'exited', exitCode: 0, restartCount: 0 }], 'absent', {
      restartPolicy: 'OnFailure',
    });
    expect(output.outcome).toBe('converged');
  });
});

describe('an untouched crash loop is reported in seconds (F341)', () => {
  it('fails one seen running between two restarts', async () => {
    const { output, elapsedMs, ops } = await run([up(5, 1), restarting(6)], 'restarting');
    expect(ops).toEqual([]);
    expect(output.outcome).toBe('failed');
    expect(output.reason).toMatch(/^CrashLoopBackOff: .*this apply did not change it/);
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('fails one the engine keeps restarting, without 32 checks', async () => {
    const { output, elapsedMs } = await run([restarting(6)], 'restarting');
    expect(output.outcome).toBe('failed');
    expect(output.reason).toMatch(/^CrashLoopBackOff: .*this apply did not change it/);
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('converges one that crashed once and stays up', async () => {
    const { output } = await run([up(1, 7)], 'restarting');
    expect(output.outcome).toBe('converged');
  });
});
