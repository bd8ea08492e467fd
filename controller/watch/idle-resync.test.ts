import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as planModule from '../plan/plan.js';
import { MEMORY_IMAGE as IMAGE, memoryWatch } from './testing/memory-watch.js';

const P = 'idle';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-idle-'));
  await writeFile(
    join(dir, 'app.yaml'),
    `apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec: {image: ${IMAGE}}\n`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('periodic resync of an idle controller', () => {
  it('skips planning while the engine answers as before, and plans (and repairs) once it does not', async () => {
    const { engine, controller } = memoryWatch(P, dir);
    await controller.start();
    try {
      await controller.lanes.whenIdle();
      await controller.requestResync('timer');
      await controller.lanes.whenIdle();
      // The first idle resync plans and remembers; the next ones see the same answers.
      await controller.requestResync('timer');
      const planSpy = vi.spyOn(planModule, 'plan');
      for (let i = 0; i < 3; i++) await controller.requestResync('timer');
      expect(planSpy).not.toHaveBeenCalled();
      expect(controller.metrics.resyncsUnchanged).toBeGreaterThanOrEqual(3);

      // Drift the events never told about: the list differs, so the resync plans and repairs.
      engine.dropEvents(true);
      const web = (await engine.observe({ project: P })).containers[0]!;
      await engine.stopContainer(web.id, 1);
      engine.dropEvents(false);
      await controller.requestResync('timer');
      expect(planSpy).toHaveBeenCalled();
      await controller.lanes.whenIdle();
      expect((await engine.inspectContainer(web.id))?.state).toBe('running');
      planSpy.mockRestore();
    } finally {
      await controller.stop(1_000);
    }
  });
});
