import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { killStrayBerths, spawnBerth, type WatchProcess } from './watch-support.js';

/**
 * `berth run --rm` holds when berth is ended from outside (F94), as `docker compose run
 * --rm`: SIGTERM (a cancelled CI job) or SIGHUP (a closed terminal) stops and removes the
 * one-off and berth exits 128 + the signal; a second signal removes it at once; the
 * engine's AutoRemove removes it after its own exit even when berth was SIGKILLed.
 */

const project = uniqueProject('runrm');
const dir = mkdtempSync(join(tmpdir(), 'berth-runrm-'));
const env = { XDG_STATE_HOME: join(dir, 'state') };

beforeAll(async () => {
  writeFileSync(
    join(dir, 'job.yaml'),
    `apiVersion: berth/v1\nkind: Container\nmetadata: {name: job}\nspec:\n  image: ${TEST_IMAGE}\n  args: [sleep, "3600"]\n`,
  );
  const applied = await berth(['apply', '-f', dir, '-p', project, '--log-level', 'warn'], { env });
  expect(applied.code, applied.stderr).toBe(0);
});

afterAll(async () => {
  await killStrayBerths();
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

/** The names of the project's one-off containers, in any state. */
const oneOffs = async () =>
  (
    await docker(
      'ps',
      '-a',
      '--format',
      '{{.Names}}',
      '--filter',
      `label=berth.project=${project}`,
      '--filter',
      'label=berth.oneoff=true',
    )
  )
    .split('\n')
    .filter(Boolean);

/** `berth run --rm -p <project> job -- sh -c SCRIPT`, once the one-off has printed `up`. */
async function runningOneOff(script: string): Promise<WatchProcess> {
  const child = spawnBerth(['run', '--rm', '-p', project, 'job', '--', 'sh', '-c', script], env);
  await until(
    () => child.stdout().includes('up'),
    30_000,
    () => child.stderr(),
  );
  return child;
}

async function until(done: () => boolean | Promise<boolean>, ms: number, why: () => string) {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${why()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const gone = async () => (await oneOffs()).length === 0;

describe('berth run --rm ended from outside', () => {
  it('is auto-removed by the engine, and still reports a quick exit code and all output', async () => {
    const quick = await berth(
      ['run', '--rm', '-p', project, 'job', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7'],
      { env },
    );
    expect(quick.code, quick.stderr).toBe(7);
    expect(quick.stdout).toBe('out\n');
    expect(quick.stderr).toBe('err\n');
    expect(await oneOffs()).toEqual([]);
  });

  it('SIGTERM stops and removes the one-off, and berth exits 143', async () => {
    const child = await runningOneOff("trap 'exit 0' TERM; echo up; sleep 300 & wait");
    const [name] = await oneOffs();
    expect(name).toMatch(/-job-run-[0-9a-f]{6}$/);
    expect(await docker('inspect', '-f', '{{.HostConfig.AutoRemove}}', name!)).toBe('true');
    child.child.kill('SIGTERM');
    expect(await child.exited).toBe(143);
    expect(child.stderr()).toMatch(/SIGTERM: stopping and removing .*-job-run-/);
    // berth exits once the one-off is removed: nothing is left to wait for.
    expect(await oneOffs()).toEqual([]);
  });

  it('SIGHUP (a closed terminal) does the same, exit 129', async () => {
    const child = await runningOneOff("trap 'exit 0' TERM; echo up; sleep 300 & wait");
    child.child.kill('SIGHUP');
    expect(await child.exited).toBe(129);
    expect(await oneOffs()).toEqual([]);
  });

  it('a second signal removes a one-off that ignores SIGTERM at once', async () => {
    // sh as PID 1 ignores SIGTERM: a stop would wait out the 10 s grace period.
    const child = await runningOneOff('echo up; sleep 300');
    const started = Date.now();
    child.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    child.child.kill('SIGTERM');
    expect(await child.exited).toBe(143);
    expect(await oneOffs()).toEqual([]);
    // Well before the 10 s grace period a stop alone would have waited.
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('SIGKILL leaves nothing behind once the one-off exits (the engine removes it)', async () => {
    const child = await runningOneOff('echo up; sleep 6');
    child.child.kill('SIGKILL');
    await child.exited;
    expect(await oneOffs()).toHaveLength(1);
    await until(gone, 20_000, () => 'the one-off is still there after its exit');
  });
});
