import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHistory } from '../records/records.js';
import type { WatchController } from './controller.js';
import { MEMORY_IMAGE, memoryWatch } from './testing/memory-watch.js';

// F143: with the engine away, a change of the folder was recorded as an apply that converged
// (in 2 ms: the queue was idle because nothing could run) and became the last applied set.
const container = (mode: string) => `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${MEMORY_IMAGE}
  env: {MODE: ${mode}}
`;

let controller: WatchController | undefined;
const folders: string[] = [];
afterEach(async () => {
  await controller?.stop();
  for (const f of folders.splice(0)) await rm(f, { recursive: true, force: true });
});

describe('history under watch while the engine is away (F143)', () => {
  it('records a change only once the engine is back and the change ran', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-hu-'));
    const stateDir = await mkdtemp(join(tmpdir(), 'berth-hu-state-'));
    folders.push(dir, stateDir);
    await writeFile(join(dir, 'web.yaml'), container('one'));
    const made = memoryWatch('hu', dir, {
      stateDir,
      failureBackoff: { baseMs: 50, maxMs: 200 },
    });
    controller = made.controller;
    await controller.start();
    const entries = async () => {
      const h = await readHistory(stateDir, 'hu');
      return h.ok ? h.value : [];
    };
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
    };
    await until(async () => (await entries()).length === 1);
    expect((await entries()).map((e) => e.outcome)).toEqual(['converged']);

    made.engine.failNext('observe', 'E_ENGINE_UNREACHABLE', 6);
    await writeFile(join(dir, 'web.yaml'), container('two'));
    await controller.reloadFolder();
    await new Promise((r) => setTimeout(r, 150));
    expect(await entries()).toHaveLength(1);
    // The engine answers again: the change runs, then it is on record.
    await until(async () => (await entries()).length === 2);
    const [last] = await entries();
    expect(last?.outcome).toBe('converged');
    expect(last?.counts?.changed ?? 0).toBeGreaterThan(0);
  });
});
