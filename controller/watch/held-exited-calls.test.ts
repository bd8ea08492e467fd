import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import type { WatchController } from './controller.js';
import { MEMORY_IMAGE as IMAGE, memoryWatch } from './testing/memory-watch.js';

/**
 * F744: under watch, each reconcile of a container that `restartPolicy: Never` keeps exited
 * quotes its last log lines (F624) and cost an inspect more than the look the container
 * machine had just taken. Now one log read, no inspect beyond the machine's own.
 */

let controller: WatchController | undefined;
afterAll(() => controller?.stop(1_000));

describe('a container held exited under watch', () => {
  it('costs the machine look and one log read per reconcile, not another inspect', async () => {
    const dir = tempDir('berth-held-');
    await writeFile(
      join(dir, 'set.yaml'),
      `apiVersion: berth/v1\nkind: Container\nmetadata: {name: job}\nspec:\n  image: ${IMAGE}\n  restartPolicy: Never\n`,
    );
    const made = memoryWatch('held', dir);
    controller = made.controller;
    const engine = made.engine;
    await controller.start();
    await controller.lanes.whenIdle();
    const id = (await engine.observe({ project: 'held' })).containers[0]!.id;
    const inspects = engine.calls.inspectContainer ?? 0;
    const logs = engine.calls.tailLogs ?? 0;
    // Killed: it exits 137, and Never keeps it so; the reconcile of the event holds it.
    await engine.killContainer(id);
    await new Promise((r) => setTimeout(r, 20));
    await controller.lanes.whenIdle();
    // The log read is the held path's own (F624): it ran once.
    expect((engine.calls.tailLogs ?? 0) - logs).toBe(1);
    expect((engine.calls.inspectContainer ?? 0) - inspects).toBe(1);
    await rm(dir, { recursive: true, force: true });
  });
});
