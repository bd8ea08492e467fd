import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../engine/engine.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import type { WatchController } from './controller.js';
import { MEMORY_IMAGE as IMAGE, memoryWatch } from './testing/memory-watch.js';

/**
 * berth watch over a set spanning Docker contexts (issue 17), on in-memory engines: one lane
 * per engine fed from the one folder. The real-daemon version is
 * test/integration/watch-across.test.ts.
 */

const P = 'across';
let dir: string;
let controller: WatchController | undefined;

const container = (name: string, fields = '') =>
  `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${name}}\nspec:\n  image: ${IMAGE}\n${fields}---\n`;
const placed = (context: string, env = 'one') =>
  `  env: {MODE: ${env}}\n  placement: {context: ${context}}\n`;

async function write(yaml: string): Promise<void> {
  await writeFile(join(dir, 'set.yaml'), yaml);
}

/** Names of the project's containers on `engine`, sorted. */
async function names(engine: MemoryEngine): Promise<string[]> {
  const { containers } = await engine.observe({ project: P });
  return containers.map((c) => c.name ?? '').sort();
}

async function idOf(engine: MemoryEngine, name: string): Promise<string | undefined> {
  const { containers } = await engine.observe({ project: P });
  return containers.find((c) => c.name === `${P}-${name}`)?.id;
}

/** Lets events delivered synchronously reach the queues, then waits for every lane. */
async function settled(c: WatchController): Promise<void> {
  await new Promise((r) => setTimeout(r, 20));
  await c.lanes.whenIdle();
}

/**
 * A started and settled watch of `yaml`, whose context `far` is a second in-memory engine;
 * any other context cannot be read.
 */
async function started(yaml: string) {
  const far = new MemoryEngine();
  far.addImage(IMAGE);
  await write(yaml);
  const made = memoryWatch(P, dir, {
    engineFor: async (context) => {
      if (context === 'far') return far;
      throw new EngineError('E_ENGINE_UNREACHABLE', `context "${context}": context not found`);
    },
  });
  const watch = made.controller;
  controller = watch;
  await watch.start();
  await settled(watch);
  return { home: made.engine, far, watch };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-across-'));
});
afterEach(async () => {
  await controller?.stop(1_000);
  controller = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('berth watch over a set spanning contexts', () => {
  it("puts each object on its context's engine, and a change of the file reaches that engine only", async () => {
    const { home, far, watch } = await started(container('web') + container('away', placed('far')));
    expect(await names(home)).toEqual([`${P}-web`]);
    expect(await names(far)).toEqual([`${P}-away`]);

    const [web, away] = [await idOf(home, 'web'), await idOf(far, 'away')];
    await write(container('web') + container('away', placed('far', 'two')));
    await watch.reloadFolder();
    await settled(watch);
    expect(await idOf(home, 'web')).toBe(web);
    const replaced = await idOf(far, 'away');
    expect(replaced).toBeDefined();
    expect(replaced).not.toBe(away);
  });

  it('repairs drift on the other engine from its own event stream', async () => {
    const { far, watch } = await started(container('web') + container('away', placed('far')));
    const away = await idOf(far, 'away');
    await far.removeContainer(away!);
    await settled(watch);
    expect(await names(far)).toEqual([`${P}-away`]);
    expect(await idOf(far, 'away')).not.toBe(away);
  });

  it('a context that cannot be reached fails only its own objects, and says which', async () => {
    const { home, far, watch } = await started(
      container('web') + container('away', placed('far')) + container('lost', placed('gone')),
    );
    expect(await names(home)).toEqual([`${P}-web`]);
    expect(await names(far)).toEqual([`${P}-away`]);
    expect([...watch.metrics.unreachable.keys()]).toEqual(['gone']);
    expect(watch.metrics.unreachable.get('gone')).toMatch(/context "gone"/);
    expect(watch.metrics.engineReachable).toBe(false);
  });

  it('an object moved to another context is made there and removed where it was', async () => {
    const { home, far, watch } = await started(container('web') + container('away'));
    expect(await names(home)).toEqual([`${P}-away`, `${P}-web`]);
    await write(container('web') + container('away', placed('far')));
    await watch.reloadFolder();
    await settled(watch);
    expect(await names(home)).toEqual([`${P}-web`]);
    expect(await names(far)).toEqual([`${P}-away`]);
  });

  it('a context that reaches berth own engine joins its lane instead of pruning it', async () => {
    await write(container('web') + container('away', placed('same')));
    // The context `same` reaches berth's own engine: a second connection to it.
    const made = memoryWatch(P, dir, { engineFor: async () => made.engine });
    const watch = made.controller;
    controller = watch;
    await watch.start();
    await settled(watch);
    await watch.requestResync('requested');
    await settled(watch);
    expect(await names(made.engine)).toEqual([`${P}-away`, `${P}-web`]);
    expect(watch.lanes.all()).toHaveLength(1);
    expect(watch.metrics.engineReachable).toBe(true);
  });
});
