import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { envValue, freePort, uniqueProject } from '../support/docker.js';
import {
  containerYaml,
  eventually,
  spawnBerth,
  tearDownWatch,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * F665: `berth rollback` run with no `berth watch` running was undone without a word by the
 * next watch of the project, which applied the source's newest revision at start. The
 * rollback now holds the project (as a rollback in watch does; only `berth release` ends this
 * one) and says so on stderr; a watch started later converges to the rolled-back set, says
 * Held, and applies the source once released.
 */
const project = uniqueProject('rbhold');
let dir: string;
let stateHome: string;
let watch: WatchProcess | undefined;
const env = () => ({ XDG_STATE_HOME: stateHome });
const modeOf = () => envValue(`${project}-app`, 'MODE').catch(() => undefined);
const write = (mode: string) =>
  writeFile(
    join(dir, 'app.yaml'),
    containerYaml('app', `  env: {MODE: ${mode}}\n  update: {minReady: 1s}\n`),
  );
const apply = () => berth(['apply', '-p', project, '-f', dir], { env: env() });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-rbhold-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-rbhold-state-'));
  await write('one');
  expect((await apply()).code).toBe(0);
  await write('two');
  expect((await apply()).code).toBe(0);
  expect(await modeOf()).toBe('two');
}, 120_000);

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

describe('berth rollback with no watch running', () => {
  it('holds the project and says so; a later watch keeps the rollback until release', async () => {
    const rolled = await berth(['rollback', '-p', project], { env: env() });
    expect(rolled.code, rolled.stderr + rolled.stdout).toBe(0);
    expect(rolled.stderr).toMatch(
      /project \S+ held since \S+ \(rollback to \S+\): berth watch applies no new source revision to it until berth release \(berth hold holds a project by hand\)/,
    );
    expect(await modeOf()).toBe('one');

    // The folder still declares "two": a watch started now must not undo the rollback.
    const port = await freePort();
    watch = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`], env());
    await waitForApi(watch);
    const notice = async () =>
      ((await (await fetch(`${watch!.api}/api/v1/status`)).json()) as { notice: string | null })
        .notice;
    expect(await eventually(async () => /^Held since /.test((await notice()) ?? ''), 30_000)).toBe(
      true,
    );
    expect(await notice()).toMatch(/\(rollback to \S+\)/);
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await modeOf(), watch.stderr()).toBe('one');

    const released = await berth(['release', '-p', project], { env: env() });
    expect(released.code).toBe(0);
    expect(await eventually(async () => (await modeOf()) === 'two', 60_000)).toBe(true);
  }, 150_000);
});
