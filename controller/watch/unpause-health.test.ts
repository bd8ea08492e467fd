import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { WatchController, type WatchOptions } from './controller.js';
import { MEMORY_IMAGE as IMAGE, memoryWatch } from './testing/memory-watch.js';

/** memoryWatch's options, for a second controller on the same engine. */
const watchOptions = (project: string, dir: string): Omit<WatchOptions, 'engine'> => ({
  project,
  dir,
  allowEmpty: false,
  resyncMs: 0,
  parallel: 2,
  logger: pino({ level: 'silent' }),
  watchFolder: false,
});

/**
 * FINDINGS F130: a container paused while no controller ran shows the `unhealthy` its probes
 * earned against the frozen process. The controller unpauses it at start-up; the engine's
 * `unpause` event may be lost (it fired before the event stream attached), and a pass made
 * before a fresh probe must still not restart it for that verdict (DESIGN.md, second wave).
 */

const P = 'unp';
let dir: string;
let controller: WatchController | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-unp-'));
  await writeFile(
    join(dir, 'app.yaml'),
    `apiVersion: berth/v1\nkind: Container\nmetadata: {name: h}\nspec:\n  image: ${IMAGE}\n` +
      '  healthcheck: {command: [CMD, "true"], interval: 1s, timeout: 1s, retries: 2}\n',
  );
});
afterEach(() => controller?.stop(1_000));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a container berth unpauses at start-up', () => {
  it('is not restarted for the unhealthy it showed while paused, though the unpause event was lost', async () => {
    const made = memoryWatch(P, dir);
    const { engine } = made;
    controller = made.controller;
    await controller.start();
    await controller.lanes.whenIdle();
    await controller.stop(1_000);
    const id = (await engine.observe({ project: P })).containers[0]!.id;
    await engine.pauseContainer(id);
    engine.setHealth(id, 'unhealthy');
    const starts = engine.calls.startContainer ?? 0;

    // A new controller on the same engine; the unpause it makes is never reported.
    engine.dropEvents(true);
    controller = new WatchController({ ...watchOptions(P, dir), engine });
    await controller.start();
    await controller.lanes.whenIdle();
    // The start-up resync (and any later one) looks again before a fresh probe has run.
    await controller.requestResync('requested');
    await controller.lanes.whenIdle();

    expect(engine.calls.unpauseContainer ?? 0).toBe(1);
    expect(engine.calls.stopContainer ?? 0).toBe(0);
    expect(engine.calls.startContainer ?? 0).toBe(starts);
    expect((await engine.inspectContainer(id))?.state).toBe('running');
  });
});
