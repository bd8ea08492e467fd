import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdProject, readHold, releaseProject } from '../../controller/records/hold.js';
import { berth } from '../support/cli.js';
import { docker, envValue, freePort, uniqueProject } from '../support/docker.js';
import {
  containerYaml,
  eventually,
  tearDownWatch,
  spawnBerth,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

// A hold or release that reaches the records without going through the running controller
// (`berth hold` while no watch ran, or a CLI that could not reach it) is taken in by
// `berth watch` at its next resync: it starts held on what was applied, repairs drift under
// the hold, and applies the folder once the records say released.
const project = uniqueProject('hrec');
let dir: string;
let stateHome: string;
let watch: WatchProcess;
const env = () => ({ XDG_STATE_HOME: stateHome });
const stateDir = () => join(stateHome, 'berth');
const modeOf = () => envValue(`${project}-app`, 'MODE').catch(() => undefined);
const write = (mode: string) =>
  writeFile(join(dir, 'app.yaml'), containerYaml('app', `  env: {MODE: ${mode}}\n`));
const notice = async () =>
  ((await (await fetch(`${watch.api}/api/v1/status`)).json()) as { notice: string | null }).notice;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-hrec-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-hrec-state-'));
  await write('one');
  const applied = await berth(['apply', '-f', dir, '-p', project], { env: env() });
  if (applied.code !== 0) throw new Error(applied.stderr);
}, 120_000);

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

describe('a hold or release written to the records while berth watch runs or not', () => {
  it('a hold of a project never applied, with no watch running, exits 1 and records nothing (F161)', async () => {
    const typo = `${project}-typo`;
    const held = await berth(['hold', '-p', typo], { env: env() });
    expect(held.code, held.stdout + held.stderr).toBe(1);
    expect(held.stderr).toContain(`no project ${typo}: nothing applied, no berth watch running`);
    expect(await readHold(stateDir(), typo)).toBeUndefined();
  });

  it('a hold taken while no controller ran: watch starts held on the applied set and repairs drift', async () => {
    const held = await berth(['hold', '-p', project], { env: env() });
    expect(held.stdout).toMatch(/held since/);
    await write('two');
    const listen = `127.0.0.1:${await freePort()}`;
    watch = spawnBerth(['watch', dir, '-p', project, '--listen', listen, '--resync', '1s'], env());
    await waitForApi(watch);
    await pause(3_000);
    expect(await modeOf()).toBe('one');
    expect(await notice()).toMatch(/^Held since .*\(berth hold\)/);
    const status = await berth(['status', '-p', project, '-o', 'json'], { env: env() });
    const app = (
      JSON.parse(status.stdout) as { objects: { key: string; reason: string | null }[] }
    ).objects.find((o) => o.key === 'Container/app');
    expect(app?.reason).toMatch(/^Held: /);
    // Drift is repaired under a hold, to the set that was applied.
    await docker('rm', '-f', `${project}-app`);
    expect(await eventually(async () => (await modeOf()) === 'one', 30_000)).toBe(true);
  }, 90_000);

  it('a release written to the records is applied at the next resync', async () => {
    await releaseProject(stateDir(), project);
    expect(await eventually(async () => (await modeOf()) === 'two', 30_000)).toBe(true);
    expect(await eventually(async () => (await notice()) === null, 10_000)).toBe(true);
  }, 60_000);

  it('a hold written to the records while watch runs keeps the next revision back until release', async () => {
    await holdProject(stateDir(), project, 'berth hold', Date.now());
    // The next resync (1 s) takes the hold in; a save after it is not applied.
    expect(await eventually(async () => /^Held since/.test((await notice()) ?? ''), 10_000)).toBe(
      true,
    );
    await pause(1_500);
    await write('three');
    await pause(3_000);
    expect(await modeOf()).toBe('two');
    await releaseProject(stateDir(), project);
    expect(await eventually(async () => (await modeOf()) === 'three', 30_000)).toBe(true);
  }, 60_000);
});
