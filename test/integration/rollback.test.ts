import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, envValue, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

const project = uniqueProject('rb');
let stateHome: string;
const env = () => ({ XDG_STATE_HOME: stateHome });
const modeOf = () => envValue(`${project}-app`, 'MODE');
// A 1 s update gate, not the default 3 s: what is tested is which set runs, not the gate.
const apply = (mode: string) =>
  berth(['apply', '-f', '-', '-p', project], {
    stdin: sleeperYaml('app', `  env: {MODE: ${mode}}\n  update: {minReady: 1s}\n`),
    env: env(),
  });
const history = async () =>
  JSON.parse((await berth(['history', '-p', project, '-o', 'json'], { env: env() })).stdout) as {
    id: string | null;
    message: string | null;
    outcome: string;
  }[];

beforeAll(async () => {
  stateHome = await mkdtemp(join(tmpdir(), 'berth-rb-state-'));
});
afterAll(async () => {
  await cleanupProject(project);
  await rm(stateHome, { recursive: true, force: true });
});

describe('berth rollback on the real engine', () => {
  it('with no history says so and exits 1', async () => {
    const run = await berth(['rollback', '-p', project], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no (earlier apply|history) to roll back to/);
  });

  it('goes back to the apply before the last, then to any apply by id, and records each', async () => {
    expect((await apply('one')).code).toBe(0);
    expect((await apply('two')).code).toBe(0);
    expect((await apply('three')).code).toBe(0);
    expect(await modeOf()).toBe('three');
    const first = (await history()).at(-1)!;
    expect(first.id).toMatch(/^[0-9a-z]+$/);

    const back = await berth(['rollback', '-p', project], { env: env() });
    expect(back.code, back.stderr + back.stdout).toBe(0);
    expect(await modeOf()).toBe('two');
    const newest = (await history())[0]!;
    expect(newest).toMatchObject({ outcome: 'converged' });
    expect(newest.message).toMatch(/^rollback to /);

    const toFirst = await berth(['rollback', first.id!, '-p', project], { env: env() });
    expect(toFirst.code, toFirst.stderr).toBe(0);
    expect(await modeOf()).toBe('one');
    expect((await history())[0]!.message).toBe(`rollback to ${first.id}`);
  });

  it('refuses an id it does not know', async () => {
    const run = await berth(['rollback', 'zzzzzz', '-p', project], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no apply zzzzzz/);
  });

  it('skips an apply that failed: its set never ran (F83)', async () => {
    expect((await apply('four')).code).toBe(0);
    const broken = await berth(['apply', '-f', '-', '-p', project, '--timeout', '20s'], {
      // Nothing answers on 127.0.0.1:1: the pull fails at once, the apply fails (exit 2).
      stdin: sleeperYaml('app', '  env: {MODE: broken}\n  update: {minReady: 1s}\n').replace(
        /image: .*/,
        'image: 127.0.0.1:1/berth-missing:1',
      ),
      env: env(),
    });
    expect(broken.code, broken.stdout + broken.stderr).toBe(2);
    const failed = (await history())[0]!;
    expect(failed.outcome).toBe('failed');
    expect((await apply('five')).code).toBe(0);

    const back = await berth(['rollback', '-p', project], { env: env() });
    expect(back.code, back.stderr + back.stdout).toBe(0);
    expect(await modeOf()).toBe('four');

    const toFailed = await berth(['rollback', failed.id!, '-p', project], { env: env() });
    expect(toFailed.code).toBe(1);
    expect(toFailed.stderr).toContain(`apply ${failed.id} of project ${project} failed`);
    expect(await modeOf()).toBe('four');
  });

  it('a restart between does not count as a set (F108)', async () => {
    expect((await apply('six')).code).toBe(0);
    const restart = await berth(['restart', 'app', '-p', project], { env: env() });
    expect(restart.code, restart.stderr).toBe(0);
    const back = await berth(['rollback', '-p', project], { env: env() });
    expect(back.code, back.stderr + back.stdout).toBe(0);
    expect(await modeOf()).toBe('four');
  });
});
