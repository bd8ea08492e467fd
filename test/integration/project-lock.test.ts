import { readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockProject, projectLockPath } from '../../controller/records/project-lock.js';
import { cleanupProject, docker, freePort, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { berth } from './status-cli-support.js';
import { spawnBerth, waitForApi } from './watch-support.js';

/** DESIGN.md "One project, one writer", end to end against the real engine. */

const work = mkdtempSync(join(tmpdir(), 'berth-writer-'));
const stateHome = join(work, 'state');
const stateDir = join(stateHome, 'berth');
const project = uniqueProject('lock');
const dir = join(work, 'app');
mkdirSync(dir);
writeFileSync(join(dir, 'app.yaml'), sleeperYaml('one'));

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

const containersOf = async () =>
  (await docker('ps', '-aq', '--filter', `label=berth.project=${project}`))
    .split('\n')
    .filter(Boolean);

describe('one project, one writer', () => {
  it('a second apply exits 1 naming the holder (pid, command, since) and changes nothing', async () => {
    const held = await lockProject(stateDir, project, {
      verb: 'apply',
      command: 'berth apply -f elsewhere',
      now: () => Date.parse('2026-01-02T03:04:05Z'),
    });
    try {
      const run = await berth(stateHome, work, 'apply', '-f', dir, '-p', project);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `error: project ${project} is locked by pid ${process.pid} (berth apply -f elsewhere) since 2026-01-02T03:04:05.000Z`,
      );
      const del = await berth(stateHome, work, 'delete', 'container/one', '-p', project);
      expect(del.code).toBe(1);
      expect(del.stderr).toContain(`is locked by pid ${process.pid}`);
      // Nothing applied yet (the holder may be the first apply): down still names the holder (F82).
      const down = await berth(stateHome, work, 'down', '-p', project);
      expect(down.code, down.stdout).toBe(1);
      expect(down.stderr).toContain(`is locked by pid ${process.pid}`);
      expect(await containersOf()).toEqual([]);
    } finally {
      await held.release();
    }
  });

  it('two applies at once: with --lock-timeout the second waits, and history keeps both', async () => {
    // Two sets (the same set again, with nothing to do, is counted on the first's entry: F275).
    const other = join(work, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'app.yaml'), sleeperYaml('one', '  env: {MODE: other}\n'));
    const env = { XDG_STATE_HOME: stateHome };
    const args = (from: string) => ['apply', '-f', from, '-p', project, '--lock-timeout', '2m'];
    const runs = [spawnBerth(args(dir), env), spawnBerth(args(other), env)];
    const codes = await Promise.all(runs.map((r) => r.exited));
    expect(codes, runs.map((r) => r.stderr()).join('\n')).toEqual([0, 0]);
    const history = await berth(stateHome, work, 'history', '-p', project, '-o', 'json');
    const items = JSON.parse(history.stdout) as { outcome: string }[];
    expect(items.map((i) => i.outcome)).toEqual(['converged', 'converged']);
    expect(await containersOf()).toHaveLength(1);
  });

  it('a lock whose holder was killed (SIGKILL) is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(
      projectLockPath(stateDir, project),
      JSON.stringify({
        pid: dead,
        verb: 'apply',
        command: 'berth apply',
        since: 0,
        host: hostname(),
        nonce: 'x',
      }),
    );
    const run = await berth(stateHome, work, 'apply', '-f', dir, '-p', project);
    expect(run.code, run.stderr).toBe(0);
  });

  it('apply on a project a running berth watch owns exits 1 saying so, never its token (F114)', async () => {
    const token = 'lock-t0ken-canary';
    const watch = spawnBerth(
      ['watch', dir, '-p', project, '--listen', `127.0.0.1:${await freePort()}`, '--token', token],
      { XDG_STATE_HOME: stateHome },
    );
    try {
      await waitForApi(watch);
      const run = await berth(stateHome, work, 'apply', '-f', dir, '-p', project);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('--token ***');
      expect(run.stderr).not.toContain(token);
      expect(readFileSync(projectLockPath(stateDir, project), 'utf8')).not.toContain(token);
      expect(run.stderr).toMatch(
        new RegExp(
          `project ${project} is owned by a running berth watch, pid ${watch.child.pid} \\(berth watch `,
        ),
      );
    } finally {
      watch.child.kill('SIGTERM');
      expect(await watch.exited).toBe(0);
    }
    // The controller let go when it stopped.
    const run = await berth(stateHome, work, 'apply', '-f', dir, '-p', project);
    expect(run.code, run.stderr).toBe(0);
  });

  it('watch of a folder that does not exist exits 1 with a clear message', async () => {
    const missing = join(work, 'no-such-folder');
    const run = await berth(stateHome, work, 'watch', missing, '-p', project);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: cannot watch ${missing}: no such folder`);
    const file = await berth(stateHome, work, 'watch', join(dir, 'app.yaml'), '-p', project);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain('not a folder');
  });
});
