import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAppYaml } from '../support/manifests.js';
import { berth } from '../support/cli.js';
import { docker, freePort, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import {
  tearDownWatch,
  eventually,
  postAction,
  spawnBerth,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * DESIGN.md "Updates and rollback" under `berth watch`: a rollback runs on the exact image the
 * apply gone back to ran on (the ref is tagged back, nothing is rebuilt), and built images no
 * apply in history uses any more are removed, as `apply` does.
 */

const project = uniqueProject('wimg');
const state = mkdtempSync(join(tmpdir(), 'berth-wimg-state-'));
const dir = mkdtempSync(join(tmpdir(), 'berth-wimg-'));
const env = { XDG_STATE_HOME: state };
const ref = `localhost/${project}-app:1`;
let watch: WatchProcess;

interface Item {
  message: string | null;
  images: { ref: string; id: string; built: boolean }[] | null;
}

const history = async () =>
  JSON.parse((await berth(['history', '-p', project, '-o', 'json'], { env })).stdout) as Item[];
const runningImage = () => docker('inspect', '-f', '{{.Image}}', `${project}-app`).catch(() => '');
const imageExists = (id: string) =>
  docker('image', 'inspect', '-f', '{{.Id}}', id).then(
    () => true,
    () => false,
  );
const builtImages = async () =>
  (await docker('images', '-q', '--no-trunc', '--filter', `label=berth.project=${project}`))
    .split('\n')
    .filter(Boolean)
    .sort();

function writeSet(mode: string): void {
  writeFileSync(join(dir, 'set.yaml'), builtAppYaml(ref, { MODE: mode }));
}

/** Waits until history holds `count` applies (the controller records a change once worked off). */
async function applies(count: number): Promise<Item[]> {
  expect(await eventually(async () => (await history()).length >= count, 60_000)).toBe(true);
  return history();
}

beforeAll(async () => {
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), `FROM ${TEST_IMAGE}\nCOPY v /v\n`);
  writeFileSync(join(dir, 'app', 'v'), 'one\n');
  writeSet('a');
  watch = spawnBerth(
    ['watch', dir, '-p', project, '--listen', `127.0.0.1:${await freePort()}`, '--ui-actions'],
    env,
  );
  await waitForApi(watch);
}, 120_000);

afterAll(() => tearDownWatch(watch, project, state, dir));

describe('berth watch: rollback on exact images, retention of built images', () => {
  let first: string;
  let second: string;

  it('rolls back to the exact image the earlier apply ran on, without a rebuild', async () => {
    first = (await applies(1))[0]!.images![0]!.id;
    expect(await runningImage()).toBe(first);
    writeFileSync(join(dir, 'app', 'v'), 'two\n');
    writeSet('b');
    second = (await applies(2))[0]!.images![0]!.id;
    expect(second).not.toBe(first);
    expect(await runningImage()).toBe(second);
    const built = await builtImages();

    expect(await postAction(watch.api, 'rollback')).toMatch(/rolling back to apply/);
    expect(await eventually(async () => (await runningImage()) === first, 30_000)).toBe(true);
    expect(await docker('image', 'inspect', '-f', '{{.Id}}', ref)).toBe(first);
    expect(await docker('logs', `${project}-app`)).toBe('one');
    expect(await builtImages()).toEqual(built); // nothing was built
    expect((await applies(3))[0]).toMatchObject({
      message: expect.stringMatching(/^rollback to /),
      images: [{ ref, id: first, built: true }],
    });
  });

  it('removes a built image once no apply in history (the last 10) uses it', async () => {
    // Each save is a new revision (ending the rollback's hold first), recorded in history;
    // after ten more, no apply within the rollback depth ran on the first build.
    for (let i = 0; i < 10; i++) {
      writeSet(`c${i}`);
      await applies(4 + i);
      if (i < 9) expect(await imageExists(first)).toBe(true);
    }
    expect(await eventually(async () => !(await imageExists(first)), 30_000)).toBe(true);
    expect(await imageExists(await runningImage())).toBe(true);
    expect(await imageExists(TEST_IMAGE)).toBe(true);
  });
});
