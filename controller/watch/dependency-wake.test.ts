import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryEngine } from '../engine/memory/memory-engine.js';
import type { WatchController } from './controller.js';
import { MEMORY_IMAGE as IMAGE, memoryWatch } from './testing/memory-watch.js';

/**
 * F24 (issue 11) on the in-memory engine: a dependant skipped because its dependency did not
 * converge earns no back-off of its own, and runs as soon as the dependency is back. The
 * failure back-off is 60 s here, so a dependant that waits it out cannot pass.
 */

const P = 'wake';
const APP = 'Container/app' as const;
const PROXY = 'Container/proxy' as const;

let dir: string;
let healthDir: string;
let controller: WatchController | undefined;
/** A folder declaring `app` (with `appFields`) and `proxy`, which depends on it as `dependsOn`. */
async function setFolder(prefix: string, appFields: string, dependsOn: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  const container = (name: string, fields: string) =>
    `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${name}}\nspec:\n  image: ${IMAGE}\n${fields}`;
  await writeFile(
    join(folder, 'set.yaml'),
    container('app', appFields) + '---\n' + container('proxy', `  dependsOn: [${dependsOn}]\n`),
  );
  return folder;
}

beforeAll(async () => {
  dir = await setFolder('berth-wake-', '  restartPolicy: Never\n', '{container: app}');
  healthDir = await setFolder(
    'berth-wake-health-',
    '  healthcheck: {command: [CMD, "true"], interval: 1s, restartOnUnhealthy: false}\n',
    '{container: app, condition: healthy}',
  );
});
afterEach(() => controller?.stop(1_000));
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(healthDir, { recursive: true, force: true });
});

async function converged(): Promise<MemoryEngine> {
  const made = memoryWatch(P, dir, { failureBackoff: { baseMs: 60_000, maxMs: 60_000 } });
  controller = made.controller;
  await controller.start();
  await controller.lanes.whenIdle();
  return made.engine;
}

async function idOf(engine: MemoryEngine, name: string): Promise<string | undefined> {
  const all = (await engine.observe({ project: P })).containers;
  return all.find((c) => c.labels['berth.name'] === name)?.id;
}

/** Lets events delivered synchronously reach the queue, then waits for it to be idle. */
async function settled(c: WatchController): Promise<void> {
  await new Promise((r) => setTimeout(r, 20));
  await c.lanes.whenIdle();
}

describe('a dependant whose dependency is down, under watch', () => {
  it('is parked without back-off and created as soon as the dependency starts', async () => {
    const engine = await converged();
    const c = controller!;
    const app = (await idOf(engine, 'app'))!;
    await engine.killContainer(app);
    await engine.removeContainer((await idOf(engine, 'proxy'))!);
    await settled(c);

    expect(await idOf(engine, 'proxy')).toBeUndefined();
    // Waiting for app is no failure of proxy's own: no failure count, no back-off timer.
    expect(c.lanes.home.queue.failureCount(PROXY)).toBe(0);
    expect(c.lanes.home.queue.waitingUntil(PROXY)).toBeUndefined();
    expect(c.waits.waitingOn(PROXY)).toBe(APP);

    // `berth restart app` (or a person's `docker start`): the engine's start wakes proxy.
    await engine.startContainer(app);
    await settled(c);
    const proxy = await idOf(engine, 'proxy');
    expect(proxy).toBeDefined();
    expect((await engine.inspectContainer(proxy!))?.state).toBe('running');
    expect(c.waits.waitingOn(PROXY)).toBeUndefined();
  });

  it('a dependant failed fast on an unhealthy dependency runs once it is healthy', async () => {
    const made = memoryWatch(P, healthDir, { failureBackoff: { baseMs: 60_000, maxMs: 60_000 } });
    const engine = made.engine;
    const c = (controller = made.controller);
    void c.start();
    const appUp = async () => {
      for (;;) {
        const id = await idOf(engine, 'app');
        if (id) return id;
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const app = await appUp();
    engine.setHealth(app, 'healthy');
    await settled(c);
    expect(await idOf(engine, 'proxy')).toBeDefined();

    engine.setHealth(app, 'unhealthy');
    await engine.removeContainer((await idOf(engine, 'proxy'))!);
    await settled(c);
    // dependsOn healthy fails at once on an unhealthy dependency, and parks: no back-off.
    expect(await idOf(engine, 'proxy')).toBeUndefined();
    expect(c.lanes.home.queue.failureCount(PROXY)).toBe(0);
    expect(c.waits.waitingOn(PROXY)).toBe(APP);

    engine.setHealth(app, 'healthy');
    await settled(c);
    expect(await idOf(engine, 'proxy')).toBeDefined();
  });
});
