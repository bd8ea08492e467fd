import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryEngine } from '../engine/memory/memory-engine.js';
import type { WatchController } from './controller.js';
import { MEMORY_IMAGE as IMAGE, memoryWatch } from './testing/memory-watch.js';

/**
 * F120 on the in-memory engine (no resync timer): a container declared `exited` that is
 * started by hand, and one renamed by hand, are put back by their own engine event, as a
 * stopped or paused one is; the start of one declared running queues nothing.
 */
const P = 'hand';
let dir: string;
let controller: WatchController | undefined;
const container = (name: string, fields = '') =>
  `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${name}}\nspec:\n  image: ${IMAGE}\n${fields}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-hand-'));
  await writeFile(
    join(dir, 'set.yaml'),
    container('off', '  state: exited\n') + '---\n' + container('on'),
  );
});
afterEach(() => controller?.stop(1_000));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function converged(): Promise<MemoryEngine> {
  const made = memoryWatch(P, dir);
  controller = made.controller;
  await controller.start();
  await controller.lanes.whenIdle();
  return made.engine;
}

async function find(engine: MemoryEngine, name: string) {
  const all = (await engine.observe({ project: P })).containers;
  return all.find((c) => c.labels['berth.name'] === name)!;
}

async function settled(c: WatchController): Promise<void> {
  await new Promise((r) => setTimeout(r, 20));
  await c.lanes.whenIdle();
}

describe('starts and renames by hand, under watch', () => {
  it('stops again a container declared exited that was started by hand', async () => {
    const engine = await converged();
    const off = await find(engine, 'off');
    expect(off.state).toBe('exited');
    await engine.startContainer(off.id);
    await settled(controller!);
    expect((await find(engine, 'off')).state).toBe('exited');
  });

  it('gives a container renamed by hand its name back', async () => {
    const engine = await converged();
    const on = await find(engine, 'on');
    await engine.renameContainer(on.id, 'someone-else');
    await settled(controller!);
    const back = await find(engine, 'on');
    expect(back.id).toBe(on.id);
    expect(back.name).toBe(`${P}-on`);
  });

  it('queues nothing for the start of a container declared running', async () => {
    const engine = await converged();
    const total = () => [...controller!.metrics.reconciles.values()].reduce((a, b) => a + b, 0);
    const before = total();
    await engine.stopContainer((await find(engine, 'on')).id);
    await settled(controller!);
    // One reconcile for the stop; the start it made is no drift and queues no second one.
    expect((await find(engine, 'on')).state).toBe('running');
    expect(total()).toBe(before + 1);
  });
});
