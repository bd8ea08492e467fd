import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy.js';
import { TEST_IMAGE, cleanupProject, docker, freePort, uniqueProject } from '../support/docker.js';
import {
  eventually,
  killStrayBerths,
  spawnBerth,
  stateOf,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * Issue 11, restart storm CPU, on the real engine: a container that exits every second and
 * that the engine restarts itself (restartPolicy Always). Each exit costs `berth watch` one
 * inspect of that container and no observation of the project (the engine is restarting it:
 * nothing for berth to plan; the network disconnect Docker sends after the `die` is part of
 * that exit), and the container is not polled while the engine's back-off runs.
 * A counting proxy between berth and the engine makes the numbers exact. On Podman, which
 * restarts at once and never says `restarting`, the inspect finds the container running
 * again, restarted by the engine after that exit: left to it as well (F220).
 */

const project = uniqueProject('wstorm');
const engineName = `${project}-crash`;
let dir: string;
let stateHome: string;
let proxy: CountingProxy;
let watch: WatchProcess;

const restartCount = async () =>
  Number(await docker('inspect', '-f', '{{.RestartCount}}', engineName).catch(() => '0'));
const count = (pattern: RegExp) => proxy.seen.filter((r) => pattern.test(r)).length;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-wstorm-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-wstorm-state-'));
  proxy = await startCountingProxy(join(dir, 'engine.sock'));
  await writeFile(
    join(dir, 'crash.yaml'),
    `apiVersion: berth/v1
kind: Container
metadata: {name: crash}
spec:
  image: ${TEST_IMAGE}
  command: [sh, -c, "sleep 1; exit 3"]
`,
  );
  const port = await freePort();
  const engine = `unix://${proxy.socketPath}`;
  const args = ['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`, '--engine', engine];
  watch = spawnBerth([...args, '--resync', '10m'], { XDG_STATE_HOME: stateHome });
  await waitForApi(watch);
}, 60_000);

afterAll(async () => {
  await killStrayBerths();
  await cleanupProject(project);
  await proxy.close();
  await rm(dir, { recursive: true, force: true });
  await rm(stateHome, { recursive: true, force: true });
});

describe('a crash loop under berth watch, on the real engine', () => {
  it('costs one inspect per exit, no observation and no polling while the engine restarts it', async () => {
    expect(await eventually(async () => (await restartCount()) >= 1, 60_000, 100)).toBe(true);
    proxy.seen.length = 0;
    const from = await restartCount();
    // Four more exits: Docker waits 0.2 s, 0.4 s, 0.8 s, 1.6 s … before each restart, Podman not.
    const exits = 4;
    const done = await eventually(async () => (await restartCount()) >= from + exits, 60_000, 100);
    expect(done, watch.stderr()).toBe(true);
    // Let the events of the last exit arrive and be worked off.
    await new Promise((r) => setTimeout(r, 1_500));
    const exited = (await restartCount()) - from + 1;
    const observations = count(/^GET (\/v[\d.]+)?\/containers\/json$/);
    const inspects = count(/^GET (\/v[\d.]+)?\/containers\/[^/]+\/json$/);
    // Each exit was one observation (four list calls and a plan) before; one may still be,
    // should the engine have restarted the container before berth's inspect read it.
    expect(observations, proxy.seen.join('\n')).toBeLessThanOrEqual(1);
    // No inspect every 250 ms while the engine's back-off runs: one per exit (and one more
    // for an exit that took the full path: the list's lag after a `die`).
    expect(inspects).toBeGreaterThanOrEqual(exits);
    expect(inspects, proxy.seen.join('\n')).toBeLessThanOrEqual(exited + observations);
    // berth never restarts it itself: the engine does (its restart policy).
    expect(proxy.seen.filter((r) => r.startsWith('POST '))).toEqual([]);
    expect(['running', 'restarting', 'exited']).toContain(await stateOf(engineName));
  }, 90_000);
});
