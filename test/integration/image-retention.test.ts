import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAppYaml } from '../support/manifests.js';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { testEngine } from '../support/engine.js';

/**
 * DESIGN.md "Updates and rollback": history records the exact images each apply ran on;
 * `rollback` points the ref back at that image instead of rebuilding; images berth built stay
 * while an apply in the rollback depth (10) uses them and are removed after.
 */

const project = uniqueProject('imgret');
const state = mkdtempSync(join(tmpdir(), 'berth-imgret-state-'));
const dir = mkdtempSync(join(tmpdir(), 'berth-imgret-'));
const env = { XDG_STATE_HOME: state };
const ref = `localhost/${project}-app:1`;

interface Item {
  id: string;
  message: string | null;
  images: { ref: string; id: string; built: boolean; digest: string | null }[] | null;
  desired: { kind: string; name: string }[] | null;
}

function writeVersion(version: string): void {
  writeFileSync(join(dir, 'app', 'v'), `${version}\n`);
}

const apply = (flags: string[] = []) =>
  berth(['apply', '-f', dir, '-p', project, '--timeout', '60s', ...flags], { env });
const history = async () =>
  JSON.parse((await berth(['history', '-p', project, '-o', 'json'], { env })).stdout) as Item[];
const imageExists = (id: string) =>
  docker('image', 'inspect', '-f', '{{.Id}}', id).then(
    () => true,
    () => false,
  );
const runningImage = () => docker('inspect', '-f', '{{.Image}}', `${project}-app`);

beforeAll(() => {
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), `FROM ${TEST_IMAGE}\nCOPY v /v\n`);
  writeFileSync(join(dir, 'set.yaml'), builtAppYaml(ref));
});
afterAll(async () => {
  await cleanupProject(project);
  rmSync(state, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('built images and history on the real engine', () => {
  let first: string;
  let second: string;

  it('history records the exact image each apply ran on, in -o json as an array', async () => {
    writeVersion('one');
    expect((await apply()).code).toBe(0);
    writeVersion('two');
    const run = await apply();
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const [newest, older] = await history();
    // Docker knows no digest for a local build; Podman gives every image one, of its local
    // manifest (`localhost/…@sha256:…`), and berth records what the engine knows.
    const digest =
      testEngine() === 'podman'
        ? expect.stringMatching(/^localhost\/.+@sha256:[0-9a-f]{64}$/)
        : null;
    expect(newest?.images).toEqual([{ ref, id: await runningImage(), digest, built: true }]);
    expect(newest?.desired?.map((o) => `${o.kind}/${o.name}`).sort()).toEqual([
      'Container/app',
      'Image/app',
      'Network/default',
    ]);
    first = older!.images![0]!.id;
    second = newest!.images![0]!.id;
    expect(first).not.toBe(second);
    // The first build lost its tag to the second, but an apply in history uses it: kept.
    expect(await imageExists(first)).toBe(true);
  });

  it('rollback points the ref back at the exact image, without a rebuild', async () => {
    const items = await history();
    const target = items[1]!.id;
    const run = await berth(['rollback', target, '-p', project], { env });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(/\bbuild\b/);
    expect(await runningImage()).toBe(first);
    expect(await docker('image', 'inspect', '-f', '{{.Id}}', ref)).toBe(first);
    expect(await docker('logs', `${project}-app`)).toBe('one');
    expect((await history())[0]).toMatchObject({
      message: `rollback to ${target}`,
      images: [{ ref, id: first, built: true }],
    });
  });

  it('keeps a built image while an apply rollback can reach uses it, and removes it after, and no other image', async () => {
    // Back to the second version; twelve re-runs that change nothing are counted on that
    // apply's entry (F275): the rollback stays within the depth, and so does its image.
    expect((await apply()).code).toBe(0);
    expect(await runningImage()).toBe(second);
    const rollback = (await history())[1]!;
    for (let i = 0; i < 12; i++) expect((await apply()).code).toBe(0);
    expect((await history())[1]).toMatchObject({ id: rollback.id, desired: expect.any(Array) });
    expect(await imageExists(first)).toBe(true);
    // Nine applies of another kind (--prune on and off: each its own entry, with nothing to
    // do on the engine) after it; the tenth is the first whose history no longer holds it.
    for (let i = 0; i < 9; i++) expect((await apply(i % 2 === 0 ? ['--prune'] : [])).code).toBe(0);
    // The rollback was among the last ten applies when each of those planned: its image stayed.
    expect(await imageExists(first)).toBe(true);
    const plan = await berth(['plan', '-f', dir, '-p', project], { env });
    expect(plan.stdout).toBe(
      `- Image/app@${first.slice(7, 19)}  remove        an earlier build no apply in history uses any more\n` +
        `Project ${project}: 0 to create, 0 to change, 1 to delete.\n`,
    );
    expect((await apply()).code).toBe(0);
    expect(await imageExists(first)).toBe(false);
    expect(await imageExists(second)).toBe(true);
    expect(await imageExists(TEST_IMAGE)).toBe(true);
    expect(await runningImage()).toBe(second);
  });
});
