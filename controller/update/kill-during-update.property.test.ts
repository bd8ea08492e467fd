import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import { converge } from '../executor/converge.js';
import type { Engine } from '../engine/engine.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { observeAndPlan } from '../observe.js';

/**
 * DESIGN.md "Updates and rollback" / issue 14: berth killed (SIGKILL) at any step of an update;
 * the next apply finishes or undoes it: exactly one container answers to each declared name,
 * no `-next`/`-prev` is left, no container is lost. Here the kill lands after a random number
 * of engine calls (the call it would have made never happens, nothing after it runs), for
 * start-first and stop-first, one or two replicas.
 */

const IMAGE = 'localhost/berth-busybox:1';
const READS = new Set(['ping', 'observe', 'lookupNames', 'inspectContainer', 'inspectImage']);

function manifest(version: number, order: string, replicas: number): string {
  return [
    `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${IMAGE}
  replicas: ${replicas}
  env: {V: "${version}"}
  update: {order: ${order}, minReady: 5ms}`,
    `apiVersion: berth/v1
kind: Container
metadata: {name: other}
spec:
  image: ${IMAGE}`,
  ].join('\n---\n');
}

/**
 * The engine as a process killed after `budget` changing calls sees it: that call and every
 * call after it never returns (and never reaches the engine). `killed` resolves at the kill.
 */
function killAfter(
  engine: MemoryEngine,
  budget: number,
): { engine: Engine; killed: Promise<void> } {
  let left = budget;
  let dead = false;
  let kill: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => (kill = resolve));
  const proxy = new Proxy(engine, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'subscribeEvents') return value;
      return (...args: unknown[]) => {
        if (!dead && !READS.has(String(prop)) && left-- <= 0) {
          dead = true;
          kill();
        }
        if (dead) return new Promise(() => undefined);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { engine: proxy, killed };
}

describe('berth killed during an update (in-memory engine)', () => {
  it('after a kill at a random engine call, the next apply converges with one container per name and no leftovers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('start-first', 'stop-first'),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 14 }),
        async (order, replicas, budget) => {
          const memory = new MemoryEngine();
          memory.addImage(IMAGE);
          const apply = async (engine: Engine, version: number) =>
            converge(engine, {
              project: 'p',
              desired: await desiredFrom(manifest(version, order, replicas)),
              prune: true,
              parallel: 3,
              deadline: Date.now() + 5000,
            });
          expect((await apply(memory, 1)).result.ok).toBe(true);

          const doomed = killAfter(memory, budget);
          await Promise.race([apply(doomed.engine, 2), doomed.killed]);

          const again = await apply(memory, 2);
          expect(again.result.ok, JSON.stringify(again.result.outcomes)).toBe(true);
          const names = replicas > 1 ? ['p-other', 'p-web-1', 'p-web-2'] : ['p-other', 'p-web'];
          const { containers } = await memory.observe({ project: 'p' });
          expect(containers.map((c) => `${c.name} ${c.state}`).sort()).toEqual(
            names.map((n) => `${n} running`),
          );
          const desired = await desiredFrom(manifest(2, order, replicas));
          const { plan } = await observeAndPlan(memory, { project: 'p', desired, prune: true });
          expect(plan.objects.filter((o) => o.steps.length > 0 || !o.inSync)).toEqual([]);
        },
      ),
      { numRuns: 50 },
    );
  });
});
