import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { eventually, spawnBerth, type WatchProcess } from './watch-support.js';

// `berth get -w` prints the table once, then only the rows that changed (kubectl's habit).
const project = uniqueProject('getw');
let dir: string;
let watcher: WatchProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-getw-'));
  await writeFile(join(dir, 'set.yaml'), `${sleeperYaml('calm')}---\n${sleeperYaml('moody')}`);
  const applied = await berth(['apply', '-p', project, '-f', dir]);
  expect(applied.code, applied.stderr).toBe(0);
});

afterAll(async () => {
  watcher?.child.kill('SIGINT');
  await watcher?.exited;
  await cleanupProject(project);
  await rm(dir, { recursive: true, force: true });
});

describe('get -w', () => {
  it('after the first table, prints only the row of the container that changed', async () => {
    watcher = spawnBerth(['get', '-w', '-p', project, '-f', dir], {});
    const w = watcher;
    expect(await eventually(async () => /moody/.test(w.stdout()), 30_000)).toBe(true);
    const first = w.stdout();
    expect(first).toMatch(/^NAME\s+KIND/m);
    expect(first).toMatch(/calm/);

    // The event subscription starts after the first table; give it a moment to be listening.
    await new Promise((r) => setTimeout(r, 2_000));
    await docker('stop', '-t', '1', `${project}-moody`);
    const printed = await eventually(
      async () => /moody.*exited/.test(w.stdout().slice(first.length)),
      30_000,
    );
    expect(printed, `stdout:\n${w.stdout()}\nstderr:\n${w.stderr()}`).toBe(true);
    const later = w.stdout().slice(first.length);
    expect(later).not.toMatch(/calm/);
    expect(later).not.toMatch(/^NAME\s+KIND/m);
  });
});
