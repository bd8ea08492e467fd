import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStatus, ProjectStatus } from '../../controller/status/status-types.js';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, freePort, uniqueProject } from '../support/docker.js';
import {
  containerYaml,
  eventually,
  spawnBerth,
  stateOf,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * Issue 11 under `berth watch`: one `docker kill` is repaired at once and, once the container
 * runs again, it is in sync and ready (the restart is counted; the back-off only delays the
 * restart after it). The count is visible to `get`, `status` and `describe` run as other
 * processes, during the watch and after it has stopped.
 */

const project = uniqueProject('wrestart');
const engineName = `${project}-app`;
let dir: string;
let stateHome: string;
let watch: WatchProcess;
const env = () => ({ XDG_STATE_HOME: stateHome });

const startedAt = () =>
  docker('inspect', '-f', '{{.State.StartedAt}}', engineName).catch(() => 'absent');
const objectOf = (s: { objects: ObjectStatus[] }, key: string) =>
  s.objects.find((o) => o.key === key) as ObjectStatus;

async function apiApp(): Promise<ObjectStatus> {
  const status = (await (await fetch(`${watch.api}/api/v1/status`)).json()) as ProjectStatus;
  return objectOf(status, 'Container/app');
}

/**
 * `docker kill`, not waited for: on Podman the Docker-compatible kill answers once it has seen
 * the container stopped, polling every 250 ms, and when berth starts the container again
 * within that time the poll misses the stop and the answer comes about 20 s later (F285: in 4
 * of 8 runs; when it was the kill before the one that must be backed off, that one came 21 s
 * after berth's last restart, past the back-off window, and was restarted at once). A failed
 * kill rejects whoever awaits it; a test that does not checks the container instead.
 */
function kill(): Promise<string> {
  const killed = docker('kill', engineName);
  killed.catch(() => undefined);
  return killed;
}

/** Kills the container by hand and waits until berth has started it again (not for the CLI). */
async function killAndWaitForRestart(): Promise<void> {
  const before = await startedAt();
  void kill();
  const back = await eventually(
    async () => (await stateOf(engineName)) === 'running' && (await startedAt()) !== before,
    30_000,
    50,
  );
  if (!back) throw new Error(`not restarted:\n${watch.stderr()}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-wrestart-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-wrestart-state-'));
  await writeFile(join(dir, 'app.yaml'), containerYaml('app'));
  const port = await freePort();
  watch = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`], env());
  await waitForApi(watch);
  const up = await eventually(async () => (await stateOf(engineName)) === 'running', 60_000);
  if (!up) throw new Error(`did not converge:\n${watch.stderr()}`);
}, 120_000);

afterAll(async () => {
  if (watch && watch.child.exitCode === null) {
    watch.child.kill('SIGTERM');
    await watch.exited;
  }
  await cleanupProject(project);
  await rm(dir, { recursive: true, force: true });
  await rm(stateHome, { recursive: true, force: true });
});

describe('one docker kill under watch', () => {
  it('is restarted, then in sync and ready at once, with the restart counted', async () => {
    await killAndWaitForRestart();
    // Well inside the 10 s back-off that the NEXT restart would wait.
    const app = await apiApp();
    expect(app).toMatchObject({ inSync: true, ready: true });
    expect(app.restarts).toBeGreaterThanOrEqual(1);
    const status = await berth(['status', '-o', 'json', '-p', project], { env: env() });
    expect(status.code).toBe(0);
  });

  it('shows the count in get and describe run beside the watch', async () => {
    const get = await berth(['get', '-o', 'json', '-p', project], { env: env() });
    const item = (JSON.parse(get.stdout) as { items: ObjectStatus[] }).items.find(
      (i) => i.key === 'Container/app',
    );
    expect(item?.restarts).toBeGreaterThanOrEqual(1);
    const describeOut = await berth(['describe', 'container/app', '-p', project], { env: env() });
    expect(describeOut.stdout).toMatch(/Restarts:?\s+[1-9]/);
  });

  it('backs off a restart right after another, and says BackOff while it waits', async () => {
    // This restart may run at once (the last one can be 10 s ago on a slow machine)...
    await killAndWaitForRestart();
    // ...the one right after it never does.
    const before = await startedAt();
    const killed = kill();
    const waiting = await eventually(
      // The reason itself, not only a condition: status plans with the controller's back-off.
      async () => (await apiApp()).reason?.includes('back-off: next restart in') === true,
      5_000,
      100,
    );
    expect(waiting).toBe(true);
    // Backed off, the container stays stopped: the kill has its answer.
    await killed;
    expect(await stateOf(engineName)).toBe('exited');
    const status = await berth(['status', '-o', 'json', '-p', project], { env: env() });
    expect(status.code).toBe(3);
    expect(JSON.stringify(objectOf(JSON.parse(status.stdout), 'Container/app'))).toMatch(/BackOff/);
    const back = await eventually(async () => (await startedAt()) !== before, 45_000, 200);
    expect(back).toBe(true);
    expect((await apiApp()).restarts).toBeGreaterThanOrEqual(3);
  }, 90_000);

  it('keeps the count for status and get after the watch has stopped', async () => {
    watch.child.kill('SIGTERM');
    await watch.exited;
    const status = await berth(['status', '-o', 'json', '-p', project], { env: env() });
    expect(status.code).toBe(0);
    expect(objectOf(JSON.parse(status.stdout), 'Container/app').restarts).toBeGreaterThanOrEqual(2);
    const get = await berth(['get', 'container/app', '-p', project], { env: env() });
    const row = get.stdout.split('\n').find((l) => l.startsWith('app')) ?? '';
    expect(row).toMatch(/\s[2-9]\s/);
  });
});
