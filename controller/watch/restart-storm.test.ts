import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/engine.js';
import type { MemoryEngine } from '../engine/memory/memory-engine.js';
import type { WatchController } from './controller.js';
import { MEMORY_IMAGE as IMAGE, memoryWatch } from './testing/memory-watch.js';

/**
 * Issue 11, restart storm CPU: what one exit of a crash-looping container costs the
 * controller. Events are pushed by hand (the engine's own stream is quiet here), so each
 * count is exact.
 */

const P = 'storm';

let dir: string;
let controller: WatchController | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-storm-'));
  await writeFile(
    join(dir, 'app.yaml'),
    `apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec: {image: ${IMAGE}}\n`,
  );
});
afterEach(() => controller?.stop(1_000));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function started(): Promise<{
  engine: MemoryEngine;
  id: string;
  labels: EngineEvent['labels'];
}> {
  const made = memoryWatch(P, dir);
  const engine = made.engine;
  controller = made.controller;
  await controller.start();
  await controller.lanes.whenIdle();
  // The start's resync, then no more work.
  await controller.requestResync('requested');
  await controller.lanes.whenIdle();
  const web = (await engine.observe({ project: P })).containers[0]!;
  return { engine, id: web.id, labels: web.labels };
}

const containerEvent = (
  id: string,
  labels: EngineEvent['labels'],
  action: string,
  change?: EngineEvent['change'],
): EngineEvent => ({
  type: 'container',
  action,
  id,
  labels,
  time: Date.now(),
  ...(change ? { change } : {}),
});

describe('a restart storm under berth watch', () => {
  it('one exit is one reconcile: the disconnect that follows a die queues nothing more', async () => {
    const { engine, id, labels } = await started();
    const sink = controller!.sink;
    const key = 'Container/web' as const;
    const observes = () => engine.calls.observe ?? 0;
    const before = observes();
    await sink.push({
      kind: 'engine-event',
      objectRef: key,
      action: 'die',
      change: 'exited',
      event: containerEvent(id, labels, 'die', 'exited'),
    });
    await sink.push({ kind: 'resync', trigger: 'network-disconnected', containerId: id });
    await controller!.lanes.whenIdle();
    expect(observes() - before).toBe(1);

    // Once it started again, a disconnect is someone's doing: that container is looked at.
    const event = containerEvent(id, labels, 'start');
    await sink.push({
      kind: 'engine-event',
      objectRef: key,
      action: 'start',
      change: undefined,
      event,
    });
    const again = observes();
    await sink.push({ kind: 'resync', trigger: 'network-disconnected', containerId: id });
    await controller!.lanes.whenIdle();
    expect(observes() - again).toBe(1);
  });

  it('a container the engine is restarting is left to it: one inspect, no observe, no wait', async () => {
    const { engine, id, labels } = await started();
    engine.setState(id, 'restarting');
    const inspects = engine.calls.inspectContainer ?? 0;
    const observes = engine.calls.observe ?? 0;
    const t0 = Date.now();
    await controller!.sink.push({
      kind: 'engine-event',
      objectRef: 'Container/web',
      action: 'die',
      change: 'exited',
      event: containerEvent(id, labels, 'die', 'exited'),
    });
    await controller!.lanes.whenIdle();
    // It used to inspect every 250 ms until the engine's own back-off (up to a minute) ended.
    expect(Date.now() - t0).toBeLessThan(5_000);
    // One inspect settles the exit: no observe of the project, no plan (issue 11, storm CPU).
    expect((engine.calls.inspectContainer ?? 0) - inspects).toBe(1);
    expect((engine.calls.observe ?? 0) - observes).toBe(0);
    expect((await engine.inspectContainer(id))?.state).toBe('restarting');
    expect(engine.calls.startContainer ?? 0).toBe(1);
  });

  it('one the engine has already started again after that exit is left to it too (F220)', async () => {
    const { engine, id, labels } = await started();
    const exitAt = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    // Restarted at once by its policy, as Podman does (no back-off, never `restarting`); its
    // events come by hand below, the `die` stamped with the exit's time.
    engine.dropEvents(true);
    engine.crash(id, 3);
    engine.dropEvents(false);
    expect(await engine.inspectContainer(id)).toMatchObject({ state: 'running', restartCount: 1 });
    const inspects = engine.calls.inspectContainer ?? 0;
    const observes = engine.calls.observe ?? 0;
    const die = { ...containerEvent(id, labels, 'die', 'exited'), time: exitAt };
    await controller!.sink.push({
      kind: 'engine-event',
      objectRef: 'Container/web',
      action: 'die',
      change: 'exited',
      event: die,
    });
    await controller!.lanes.whenIdle();
    expect((engine.calls.inspectContainer ?? 0) - inspects).toBe(1);
    expect((engine.calls.observe ?? 0) - observes).toBe(0);
    expect(engine.calls.startContainer ?? 0).toBe(1);
  });

  it('a running container berth or a person started, or one that ran before the exit, takes the full path', async () => {
    const { engine, id, labels } = await started();
    const exitOf = async (time: number) => {
      const observes = engine.calls.observe ?? 0;
      const die = { ...containerEvent(id, labels, 'die', 'exited'), time };
      await controller!.sink.push({
        kind: 'engine-event',
        objectRef: 'Container/web',
        action: 'die',
        change: 'exited',
        event: die,
      });
      await controller!.lanes.whenIdle();
      return (engine.calls.observe ?? 0) - observes;
    };
    // Running from berth's own start: restart count 0.
    expect(await exitOf(Date.now() - 60_000)).toBe(1);
    engine.dropEvents(true);
    engine.crash(id, 3);
    engine.dropEvents(false);
    // Restarted by the engine, but before this exit: the exit is not of that run's past.
    expect(await exitOf(Date.now() + 60_000)).toBe(1);
  });
});
