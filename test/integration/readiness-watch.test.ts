import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStatus, ProjectStatus } from '../../controller/status/status-types.js';
import { berth } from '../support/cli.js';
import { docker, freePort, uniqueProject } from '../support/docker.js';
import { scriptYaml } from '../support/manifests.js';
import {
  tearDownWatch,
  eventually,
  spawnBerth,
  stateOf,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * Issue 11 under `berth watch`: a container whose healthcheck always fails is restarted with
 * back-off and counted; a healthy container paused by hand is unpaused, never restarted.
 */

const project = uniqueProject('rwatch');
let dir: string;
let stateHome: string;
let watch: WatchProcess;
const engineName = (n: string) => `${project}-${n}`;

function container(name: string, healthcheck: string): string {
  const script = "trap 'exit 0' TERM; while true; do sleep 1; done";
  return scriptYaml(name, script, `  healthcheck: ${healthcheck}\n`);
}

const startedAt = (name: string) =>
  docker('inspect', '-f', '{{.State.StartedAt}}', engineName(name)).catch(() => 'absent');
const health = (name: string) =>
  docker('inspect', '-f', '{{.State.Health.Status}}', engineName(name)).catch(() => 'absent');

async function apiStatus(): Promise<ProjectStatus> {
  return (await (await fetch(`${watch.api}/api/v1/status`)).json()) as ProjectStatus;
}
const objectOf = (s: ProjectStatus, key: string) =>
  s.objects.find((o) => o.key === key) as ObjectStatus & Record<string, unknown>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-rwatch-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-rwatch-state-'));
  await writeFile(
    join(dir, 'sick.yaml'),
    container('sick', '{command: [CMD, "false"], interval: 1s, retries: 1}'),
  );
  await writeFile(
    join(dir, 'fine.yaml'),
    container('fine', '{command: [CMD, "true"], interval: 1s, retries: 1}'),
  );
  const port = await freePort();
  watch = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`], {
    XDG_STATE_HOME: stateHome,
  });
  await waitForApi(watch);
  const up = await eventually(async () => (await health('fine')) === 'healthy', 60_000);
  if (!up) throw new Error(`did not converge:\n${watch.stderr()}`);
}, 120_000);

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

describe('an always-failing healthcheck under watch', () => {
  it('is restarted with back-off, counted everywhere, and status says so', async () => {
    const seen = new Set<string>();
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      seen.add(await startedAt('sick'));
      await new Promise((r) => setTimeout(r, 250));
    }
    seen.delete('absent');
    // 10 s doubling: at most the first start and three restarts in 30 s (no back-off: ~10).
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(seen.size).toBeLessThanOrEqual(4);

    const sick = objectOf(await apiStatus(), 'Container/sick');
    expect(sick.restarts).toBeGreaterThanOrEqual(1);
    expect(sick.ready).toBe(false);
    const metrics = await (await fetch(`${watch.api}/metrics`)).text();
    const restarts = /^berth_container_restarts_total(?:\{[^}]*\})? (\d+)/m.exec(metrics);
    expect(Number(restarts?.[1] ?? 0)).toBeGreaterThanOrEqual(1);

    const status = await berth(['status', '-o', 'json', '-p', project], {
      env: { XDG_STATE_HOME: stateHome },
    });
    expect(status.code).toBe(3);
    const viaCli = objectOf(JSON.parse(status.stdout) as ProjectStatus, 'Container/sick');
    expect(JSON.stringify(viaCli.conditions)).toMatch(/Unhealthy|BackOff/);
  }, 90_000);
});

describe('a healthy container paused by hand under watch', () => {
  it('is unpaused and never restarted for a health status seen while paused', async () => {
    const before = await startedAt('fine');
    for (let i = 0; i < 3; i++) {
      await docker('pause', engineName('fine'));
      // Long enough for a probe to fail against the frozen container.
      await new Promise((r) => setTimeout(r, 2_500));
      // Generous: on a loaded CI a refused unpause waits out the failure back-off (10 s) before
      // the next try; the point is that it comes back unpaused, not how fast (F741).
      const back = await eventually(
        async () => (await stateOf(engineName('fine'))) === 'running',
        45_000,
      );
      expect(back, watch.stderr()).toBe(true);
    }
    await new Promise((r) => setTimeout(r, 8_000));
    expect(await stateOf(engineName('fine'))).toBe('running');
    expect(await startedAt('fine')).toBe(before);
    expect(watch.stderr()).not.toMatch(/restarted: unhealthy[^\n]*fine/);
  }, 180_000);
});
