import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPath } from '../../controller/watch/lock.js';
import { berth } from '../support/cli.js';
import { envValue, freePort, uniqueProject } from '../support/docker.js';
import { ENGINE_HOST } from '../support/engine.js';
import {
  containerYaml,
  eventually,
  tearDownWatch,
  spawnBerth,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

// FINDINGS F2/F6: `berth rollback|hold|release` while `berth watch` owns the project are done
// by that controller (no --ui-actions needed), and release takes effect at once.
const project = uniqueProject('wcc');
let dir: string;
let stateHome: string;
let watch: WatchProcess;
const env = () => ({ XDG_STATE_HOME: stateHome });
const modeOf = () => envValue(`${project}-app`, 'MODE').catch(() => undefined);
const write = (mode: string) =>
  writeFile(
    join(dir, 'app.yaml'),
    containerYaml('app', `  env: {MODE: ${mode}}\n  update: {minReady: 1s}\n`),
  );
const applies = async () =>
  (
    JSON.parse((await berth(['history', '-p', project, '-o', 'json'], { env: env() })).stdout) as {
      message?: string;
    }[]
  ).length;
const status = () => berth(['status', '-p', project], { env: env() });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-wcc-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-wcc-state-'));
  await write('one');
  // A slow timer: whatever happens within seconds came through the request, not a resync.
  const listen = `127.0.0.1:${await freePort()}`;
  watch = spawnBerth(['watch', dir, '-p', project, '--listen', listen, '--resync', '60s'], env());
  await waitForApi(watch);
  if (!(await eventually(async () => (await modeOf()) === 'one', 60_000)))
    throw new Error(watch.stderr());
  await write('two');
  if (!(await eventually(async () => (await modeOf()) === 'two', 60_000)))
    throw new Error(watch.stderr());
  if (!(await eventually(async () => (await applies()) >= 2, 30_000)))
    throw new Error(watch.stderr());
}, 180_000);

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

describe('CLI rollback, hold and release while berth watch owns the project', () => {
  it('rollback runs through the controller and holds; status shows Held and not in sync', async () => {
    const rolled = await berth(['rollback', '-p', project], { env: env() });
    expect(rolled.stderr).toMatch(/through berth watch pid \d+/);
    expect(rolled.stdout).toMatch(/rollback to apply \S+: converged \(1 changed\); held until/);
    expect(rolled.code).toBe(0);
    // The CLI answers once the controller has worked the rollback off.
    expect(await modeOf()).toBe('one');
    const held = await status();
    expect(held.code).toBe(3);
    expect(held.stdout).toMatch(/In sync:\s+no/);
    expect(held.stdout).toMatch(/Held since .*\(rollback to \S+\)/);
    expect(held.stdout).toMatch(/source\s+declares\s+changes\s+not\s+applied:\s+Container\/app/);
  }, 60_000);

  it('under berth hold a folder edit is not applied; status shows the held-back change', async () => {
    const hold = await berth(['hold', '-p', project], { env: env() });
    expect(hold.stdout).toMatch(/held since/);
    expect(hold.code).toBe(0);
    await write('three');
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await modeOf()).toBe('one');
    const json = await berth(['status', '-p', project, '-o', 'json'], { env: env() });
    const view = JSON.parse(json.stdout) as {
      inSync: boolean;
      notice: string;
      objects: { key: string; inSync: boolean; reason: string | null }[];
    };
    expect(view.inSync).toBe(false);
    expect(view.notice).toMatch(/^Held since .*then berth hold/);
    const app = view.objects.find((o) => o.key === 'Container/app');
    expect(app).toMatchObject({ inSync: false, reason: expect.stringMatching(/^Held: /) });
  }, 60_000);

  it('release is applied at once (not at the next resync)', async () => {
    const released = await berth(['release', '-p', project], { env: env() });
    expect(released.stdout).toMatch(/released/);
    expect(released.code).toBe(0);
    const start = Date.now();
    // create, start, a 1 s gate, stop, rename; today (a 60 s timer) this took up to a minute.
    expect(await eventually(async () => (await modeOf()) === 'three', 30_000)).toBe(true);
    expect(Date.now() - start).toBeLessThan(8_000);
    expect(await eventually(async () => (await status()).code === 0, 15_000)).toBe(true);
    expect((await status()).stdout).not.toMatch(/Held/);
  }, 60_000);
});

describe('a watch that does not answer', () => {
  it('rollback, hold and release exit 1 saying so and what to do; nothing is written', async () => {
    const state = await mkdtemp(join(tmpdir(), 'berth-wcc-dead-'));
    const name = uniqueProject('wccd');
    const lock = lockPath(join(state, 'berth'), name, ENGINE_HOST);
    await mkdir(join(lock, '..'), { recursive: true });
    const port = await freePort();
    const holder = { pid: process.pid, project: name, engine: 'x', listen: `127.0.0.1:${port}` };
    await writeFile(lock, JSON.stringify({ ...holder, startedAt: 0, control: 'secret-key' }));
    try {
      for (const verb of ['rollback', 'hold', 'release']) {
        const run = await berth([verb, '-p', name], { env: { XDG_STATE_HOME: state } });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/owned by berth watch pid \d+, which does not answer at/);
        expect(run.stderr).toMatch(/stop that watch and run the command again/);
        expect(run.stderr + run.stdout).not.toMatch(/secret-key/);
      }
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });
});
