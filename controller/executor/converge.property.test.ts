import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { EngineContainerState } from '../engine/engine.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { observeAndPlan } from '../observe.js';
import { desiredFrom } from '../../test/support/manifests.js';
import { converge } from './converge.js';

const IMAGE = 'localhost/berth-busybox:1';
const STATES = ['running', 'paused', 'exited', 'created'] as const;

interface Decl {
  state: (typeof STATES)[number];
  env: string;
  onNet: boolean;
}

function manifest(decls: Decl[]): string {
  const docs = ['apiVersion: berth/v1\nkind: Network\nmetadata: {name: net}'];
  decls.forEach((d, i) => {
    docs.push(
      [
        'apiVersion: berth/v1',
        'kind: Container',
        `metadata: {name: c${i}}`,
        'spec:',
        `  image: ${IMAGE}`,
        `  state: ${d.state}`,
        `  env: {V: "${d.env}"}`,
        d.onNet ? '  networks: [net]' : '',
      ].join('\n'),
    );
  });
  return docs.join('\n---\n');
}

const decl = fc.record({
  state: fc.constantFrom(...STATES),
  env: fc.constantFrom('a', 'b'),
  onNet: fc.boolean(),
});
type Drift = {
  index: number;
  action: 'stop' | 'pause' | 'remove' | 'dead' | 'restarting' | 'crash' | 'unhealthy';
};
const drift = fc.record({
  index: fc.nat(4),
  action: fc.constantFrom<Drift['action']>(
    'stop',
    'pause',
    'remove',
    'dead',
    'restarting',
    'crash',
    'unhealthy',
  ),
});
const fault = fc.record({
  op: fc.constantFrom(
    'createContainer',
    'startContainer',
    'stopContainer',
    'pauseContainer',
    'removeContainer',
    'createNetwork',
  ),
  times: fc.integer({ min: 1, max: 2 }),
});

async function driftOne(engine: MemoryEngine, d: Drift): Promise<void> {
  const containers = (await engine.observe({ project: 'p' })).containers;
  const c = containers[d.index % Math.max(1, containers.length)];
  if (!c) return;
  if (d.action === 'stop') await engine.stopContainer(c.id, 1);
  else if (d.action === 'pause' && c.state === 'running') await engine.pauseContainer(c.id);
  else if (d.action === 'remove') await engine.removeContainer(c.id);
  else if (d.action === 'crash' && c.state === 'running') engine.crash(c.id, 1);
  else if (d.action === 'unhealthy' && c.state === 'running') engine.setHealth(c.id, 'unhealthy');
  else if (d.action === 'dead' || d.action === 'restarting')
    engine.setState(c.id, d.action === 'dead' ? 'dead' : ('exited' as EngineContainerState));
}

/**
 * Runs `work` with setTimeout on a fake clock that moves to the next timer only when nothing
 * else is left to run (a real macrotask turn, so every promise of the in-memory engine has
 * settled): the executor's retry back-off after an injected fault (200 ms, 400 ms a step,
 * steps.machine.ts) and the machines' settle waits fire in order, as with real time, but
 * cost no wall time. They were most of this test's time (CPU ~1.5 s of 16 s wall for 20 runs).
 */
async function withoutWaiting<T>(work: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    let done = false;
    const result = work().finally(() => (done = true));
    while (!done) {
      await new Promise((r) => setImmediate(r));
      if (!done) await vi.advanceTimersToNextTimerAsync();
    }
    return await result;
  } finally {
    vi.useRealTimers();
  }
}

describe('convergence on the in-memory engine', () => {
  it('for random declarations, starting states and transient faults, apply converges and a following plan is empty', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(decl, { minLength: 1, maxLength: 5 }),
        fc.array(decl, { minLength: 1, maxLength: 5 }),
        fc.array(drift, { maxLength: 4 }),
        fc.array(fault, { maxLength: 3 }),
        async (before, after, drifts, faults) => {
          const engine = new MemoryEngine();
          engine.addImage(IMAGE);
          const apply = async (decls: Decl[]) => {
            const desired = await desiredFrom(manifest(decls));
            return withoutWaiting(() =>
              converge(engine, {
                project: 'p',
                desired,
                prune: true,
                parallel: 3,
                deadline: Date.now() + 5000,
              }),
            );
          };

          await apply(before);
          for (const d of drifts) await driftOne(engine, d);
          for (const f of faults) engine.failNext(f.op as 'startContainer', 'E_ENGINE', f.times);

          // A round fails only by using up at least one injected failure, so one round more than
          // there are injected failures must converge (a bound that counts failures, not a guess).
          const allowed = 1 + faults.reduce((n, f) => n + f.times, 0);
          let rounds = 0;
          // A round may also end in an error (a recovery step failing past its retries): it used
          // up failures all the same (F652).
          const converged = () =>
            apply(after).then(
              (r) => r.result.ok,
              () => false,
            );
          for (; rounds < allowed; rounds++) if (await converged()) break;
          expect(rounds).toBeLessThan(allowed);

          const desired = await desiredFrom(manifest(after));
          const { plan } = await observeAndPlan(engine, { project: 'p', desired, prune: true });
          expect(plan.objects.filter((o) => o.steps.length > 0 || !o.inSync)).toEqual([]);

          const mutatingBefore = engine.mutatingCalls();
          await apply(after);
          expect(engine.mutatingCalls()).toBe(mutatingBefore);
        },
      ),
      { numRuns: 60 },
    );
  });
});
