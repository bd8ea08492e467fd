import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { envValue, freePort, uniqueProject } from '../support/docker.js';
import {
  containerYaml,
  tearDownWatch,
  eventually,
  postAction,
  spawnBerth,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

const project = uniqueProject('hold');
let dir: string;
let stateHome: string;
let watch: WatchProcess;
const env = () => ({ XDG_STATE_HOME: stateHome });
const modeOf = () => envValue(`${project}-app`, 'MODE').catch(() => undefined);
const write = (mode: string) =>
  writeFile(join(dir, 'app.yaml'), containerYaml('app', `  env: {MODE: ${mode}}\n`));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-hold-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-hold-state-'));
  await write('one');
  watch = spawnBerth(
    [
      'watch',
      dir,
      '-p',
      project,
      '--listen',
      `127.0.0.1:${await freePort()}`,
      '--resync',
      '1s',
      '--ui-actions',
    ],
    env(),
  );
  await waitForApi(watch);
  if (!(await eventually(async () => (await modeOf()) === 'one', 60_000)))
    throw new Error(watch.stderr());
}, 120_000);

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

describe('berth hold / release under watch', () => {
  it('a held project applies no new revision; status says Held; release applies it', async () => {
    expect((await berth(['hold', '-p', project], { env: env() })).code).toBe(0);
    await write('two');
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await modeOf()).toBe('one');
    const status = (await (await fetch(`${watch.api}/api/v1/status`)).json()) as {
      notice: string | null;
    };
    expect(status.notice).toMatch(/^Held since /);
    const released = await berth(['release', '-p', project], { env: env() });
    expect(released.stdout).toMatch(/released/);
    expect(await eventually(async () => (await modeOf()) === 'two', 30_000)).toBe(true);
  });

  it('a rollback holds the project until a new revision: a file save ends the hold and applies', async () => {
    const applies = async () =>
      (
        JSON.parse(
          (await berth(['history', '-p', project, '-o', 'json'], { env: env() })).stdout,
        ) as { message?: string }[]
      ).map((e) => e.message);
    // The apply of "two" is recorded once the controller has worked it off.
    expect(await eventually(async () => (await applies()).length >= 2, 30_000)).toBe(true);
    expect(await postAction(watch.api, 'rollback')).toMatch(/rolling back to apply/);
    expect(await eventually(async () => (await modeOf()) === 'one', 30_000)).toBe(true);
    const notice = async () =>
      ((await (await fetch(`${watch.api}/api/v1/status`)).json()) as { notice: string | null })
        .notice;
    expect(await notice()).toMatch(/^Held since .*\(rollback to \w+\)/);
    // Timer resyncs (every 1 s) re-read the folder: the same revision keeps the hold.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await modeOf()).toBe('one');
    await write('three');
    expect(await eventually(async () => (await modeOf()) === 'three', 30_000)).toBe(true);
    expect(await notice()).toBeNull();
    expect(await eventually(async () => (await applies()).length >= 4, 30_000)).toBe(true);
    expect((await applies()).slice(0, 2)).toEqual([
      'applied by berth watch',
      expect.stringMatching(/^rollback to /),
    ]);
  });
});
