import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const project = uniqueProject('wsafe');
let applied: string;
let empty: string;
let stateHome: string;
const running: WatchProcess[] = [];
const engineName = (n: string) => `${project}-${n}`;
const startedAt = (n: string) => docker('inspect', '-f', '{{.State.StartedAt}}', engineName(n));

function watchOn(dir: string, ...extra: string[]): Promise<WatchProcess> {
  return freePort().then((port) => {
    const w = spawnBerth(
      ['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`, '--resync', '1s', ...extra],
      {
        XDG_STATE_HOME: stateHome,
      },
    );
    running.push(w);
    return w;
  });
}

async function stop(w: WatchProcess): Promise<number | null> {
  w.child.kill('SIGTERM');
  return w.exited;
}

const sick = (name: string, restart: boolean) =>
  containerYaml(
    name,
    `  healthcheck: {command: [CMD, "false"], interval: 1s, timeout: 1s, retries: 1, startPeriod: 0s, restartOnUnhealthy: ${restart}}\n`,
  );

beforeAll(async () => {
  applied = await mkdtemp(join(tmpdir(), 'berth-wsafe-'));
  empty = await mkdtemp(join(tmpdir(), 'berth-wsafe-empty-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-wsafe-state-'));
  await writeFile(join(applied, 'keep.yaml'), containerYaml('keep'));
  const result = await berth(['apply', '-f', applied, '-p', project], {
    env: { XDG_STATE_HOME: stateHome },
  });
  if (result.code !== 0) throw new Error(result.stderr + result.stdout);
}, 120_000);

afterAll(async () => {
  for (const w of running) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await Promise.all(running.map((w) => w.exited));
  await cleanupProject(project);
  for (const d of [applied, empty, stateHome]) await rm(d, { recursive: true, force: true });
});

describe('berth watch never deletes by accident', () => {
  it('prunes nothing when the folder is empty, without --allow-empty', async () => {
    const w = await watchOn(empty);
    await waitForApi(w);
    await new Promise((r) => setTimeout(r, 2_500)); // two resyncs
    expect(await stateOf(engineName('keep'))).toBe('running');
    expect(w.stderr()).toMatch(/allow-empty/);
    expect(await stop(w)).toBe(0);
  });

  it('with --allow-empty, an empty folder deletes the owned objects', async () => {
    // `keep` was applied from another folder: pruning it needs --force too (issue 19 item 10).
    const w = await watchOn(empty, '--allow-empty', '--force');
    await waitForApi(w);
    expect(
      await eventually(async () => (await stateOf(engineName('keep'))) === 'absent', 15_000),
    ).toBe(true);
    expect(await stop(w)).toBe(0);
  });

  it('refuses a non-loopback address without a token (exit 1)', async () => {
    const w = spawnBerth(
      ['watch', empty, '-p', project, '--listen', `0.0.0.0:${await freePort()}`],
      {
        XDG_STATE_HOME: stateHome,
      },
    );
    running.push(w);
    expect(await w.exited).toBe(1);
    expect(w.stderr()).toMatch(/needs --token/);
  });
});

describe('berth watch restarts unhealthy containers', () => {
  it('restarts a container reported unhealthy, unless restartOnUnhealthy is false', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-wsafe-sick-'));
    await writeFile(
      join(dir, 'sick.yaml'),
      [sick('sick', true), sick('left', false)].join('---\n'),
    );
    const w = await watchOn(dir);
    try {
      await waitForApi(w);
      expect(
        await eventually(async () => (await stateOf(engineName('sick'))) === 'running', 20_000),
      ).toBe(true);
      const first = await startedAt('sick');
      const left = await startedAt('left');
      const unhealthy = await eventually(
        async () =>
          (await docker('inspect', '-f', '{{.State.Health.Status}}', engineName('left'))) ===
          'unhealthy',
        15_000,
      );
      expect(unhealthy).toBe(true);
      expect(await eventually(async () => (await startedAt('sick')) !== first, 15_000)).toBe(true);
      expect(await stateOf(engineName('sick'))).toBe('running');
      expect(await startedAt('left')).toBe(left);
      expect(w.stderr()).toMatch(/restarted: unhealthy/);
    } finally {
      expect(await stop(w)).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
