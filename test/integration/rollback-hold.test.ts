import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envValue } from '../support/docker.js';
import { containerYaml, eventually } from './watch-support.js';
import { watchFixture, type WatchFixture } from './watch-fixture.js';

/**
 * F665: `berth rollback` run with no `berth watch` running was undone without a word by the
 * next watch of the project, which applied the source's newest revision at start. The
 * rollback now holds the project (as a rollback in watch does; only `berth release` ends this
 * one) and says so on stderr; a watch started later converges to the rolled-back set, says
 * Held, and applies the source once released.
 */
let f: WatchFixture;
const modeOf = () => envValue(`${f.project}-app`, 'MODE').catch(() => undefined);
const write = (mode: string) =>
  f.write('app.yaml', containerYaml('app', `  env: {MODE: ${mode}}\n  update: {minReady: 1s}\n`));
const apply = () => f.run(['apply', '-f', f.dir]);

beforeAll(async () => {
  f = await watchFixture('rbhold');
  await write('one');
  expect((await apply()).code).toBe(0);
  await write('two');
  expect((await apply()).code).toBe(0);
  expect(await modeOf()).toBe('two');
}, 120_000);

afterAll(() => f?.tearDown());

describe('berth rollback with no watch running', () => {
  it('holds the project and says so; a later watch keeps the rollback until release', async () => {
    const rolled = await f.run(['rollback']);
    expect(rolled.code, rolled.stderr + rolled.stdout).toBe(0);
    expect(rolled.stderr).toMatch(
      /project \S+ held since \S+ \(rollback to \S+\): berth watch applies no new source revision to it until berth release \(berth hold holds a project by hand\)/,
    );
    expect(await modeOf()).toBe('one');
    // Said by status too, with no watch running (F802).
    const status = await f.run(['status', '-o', 'json']);
    expect(JSON.parse(status.stdout).notice).toMatch(
      /^Held since \S+ \(rollback to \S+\): berth release resumes/,
    );
    expect((await f.run(['status'])).stdout).toMatch(/Notice: +Held since/);

    // The folder still declares "two": a watch started now must not undo the rollback.
    const watch = await f.startWatch();
    const notice = async () =>
      ((await (await fetch(`${watch.api}/api/v1/status`)).json()) as { notice: string | null })
        .notice;
    expect(await eventually(async () => /^Held since /.test((await notice()) ?? ''), 30_000)).toBe(
      true,
    );
    expect(await notice()).toMatch(/\(rollback to \S+\)/);
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await modeOf(), watch.stderr()).toBe('one');

    const released = await f.run(['release']);
    expect(released.code).toBe(0);
    expect(await eventually(async () => (await modeOf()) === 'two', 60_000)).toBe(true);
  }, 150_000);

  it("an explicit apply after it ends the rollback's hold; a berth hold by hand stays, said", async () => {
    await f.stopWatch();
    expect((await f.run(['rollback'])).code).toBe(0);
    expect(await modeOf()).toBe('one');
    await write('three');
    const applied = await apply();
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(
      /the hold of the rollback to \S+ ends: this apply's set is the project's now/,
    );
    expect(await modeOf()).toBe('three');
    // F853: status said "Held … (rollback to …)" while the engine ran the new set.
    expect(JSON.parse((await f.run(['status', '-o', 'json'])).stdout).notice).toBeNull();

    expect((await f.run(['hold'])).code).toBe(0);
    const held = await apply();
    expect(held.stderr).toMatch(
      /note: project \S+ is held \(berth hold since \S+\): this apply ran/,
    );
    expect(JSON.parse((await f.run(['status', '-o', 'json'])).stdout).notice).toMatch(
      /^Held since/,
    );
    expect((await f.run(['release'])).code).toBe(0);
  }, 150_000);
});
