import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { envValue, freePort, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { eventually, spawnBerth, tearDownWatch, waitForApi } from './watch-support.js';

/**
 * F275: every apply that changed nothing (a re-run of `berth apply`, each `berth watch` start)
 * took one of the 10 history slots that keep a desired set, until `berth rollback` had nothing
 * to go back to. Such an apply is counted on the entry it repeats; a change is its own entry.
 */
const project = uniqueProject('hrep');
let dir: string;
let stateHome: string;
const env = () => ({ XDG_STATE_HOME: stateHome });

interface Item {
  id: string;
  message: string | null;
  repeated: { count: number; lastTime: string } | null;
  desired: unknown[] | null;
}

// A 1 s update gate, not the default 3 s: what is tested is which entries history keeps.
const write = (mode: string) =>
  writeFile(
    join(dir, 'app.yaml'),
    sleeperYaml('app', `  env: {MODE: ${mode}}\n  update: {minReady: 1s}\n`),
  );
const apply = async () => {
  const run = await berth(['apply', '-f', dir, '-p', project], { env: env() });
  expect(run.code, run.stderr + run.stdout).toBe(0);
};
const history = async () =>
  JSON.parse(
    (await berth(['history', '-p', project, '-o', 'json'], { env: env() })).stdout,
  ) as Item[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-hrep-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-hrep-state-'));
});
afterAll(() => tearDownWatch(undefined, project, dir, stateHome));

describe('applies that change nothing, on the real engine (F275)', () => {
  it('a re-run takes no new entry; a change of the set is one', async () => {
    await write('a');
    await apply();
    await apply();
    const once = await history();
    expect(once).toHaveLength(1);
    expect(once[0]!.repeated).toMatchObject({ count: 1 });
    const table = await berth(['history', '-p', project], { env: env() });
    expect(table.stdout).toMatch(/applied again 1× with no change, last at \S+Z/);

    await write('b');
    await apply();
    const twice = await history();
    expect(twice).toHaveLength(2);
    expect(twice[0]!.repeated).toBeNull();
    expect(twice[1]!.id).toBe(once[0]!.id);
  }, 120_000);

  it('12 re-runs do not push the set before out of rollback reach', async () => {
    const [, first] = await history();
    for (let i = 0; i < 12; i++) await apply();
    const after = await history();
    expect(after).toHaveLength(2);
    expect(after[0]!.repeated).toMatchObject({ count: 12 });
    expect(after.every((e) => e.desired !== null)).toBe(true);
    const back = await berth(['rollback', first!.id, '-p', project], { env: env() });
    expect(back.code, back.stderr + back.stdout).toBe(0);
    expect(await envValue(`${project}-app`, 'MODE')).toBe('a');
  }, 240_000);

  it('a watch started again on the same set takes no new entry', async () => {
    const start = async () =>
      spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${await freePort()}`], env());
    const stop = async (w: Awaited<ReturnType<typeof start>>) => {
      w.child.kill('SIGTERM');
      await w.exited;
    };
    const newest = async () => (await history())[0];
    // The rollback held the project (F665); released, the folder says b where the rollback
    // left a: the first start applies b, its own entry.
    const released = await berth(['release', '-p', project], { env: env() });
    expect(released.code, released.stderr + released.stdout).toBe(0);
    let watch = await start();
    await waitForApi(watch);
    const applied = async () => (await newest())?.message === 'applied by berth watch';
    expect(await eventually(applied, 60_000), watch.stderr()).toBe(true);
    expect(await envValue(`${project}-app`, 'MODE')).toBe('b');
    await stop(watch);
    const entries = (await history()).length;

    watch = await start();
    await waitForApi(watch);
    const counted = async () => (await newest())?.repeated?.count === 1;
    const again = await eventually(counted, 30_000);
    await stop(watch);
    expect(again, JSON.stringify(await history())).toBe(true);
    expect(await history()).toHaveLength(entries);
  }, 180_000);
});
