import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

/**
 * F547: `berth import` turns Compose service `my_db` into `my-db`; the verbs that take a
 * declared container's name take the Compose spelling too, and a name that is one typo off
 * gets a did-you-mean.
 */

const project = uniqueProject('spell');
const work = mkdtempSync(join(tmpdir(), 'berth-spell-'));
const env = { XDG_STATE_HOME: join(work, 'state'), BERTH_LOG_LEVEL: 'silent' };
const run = (...args: string[]) => berth(['-p', project, ...args], { cwd: work, env });

beforeAll(async () => {
  writeFileSync(join(work, 'db.yaml'), sleeperYaml('my-db'));
  expect((await run('apply', '-f', work)).code).toBe(0);
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

describe('a Compose service name for the name import made of it', () => {
  it('exec and cp take my_db for my-db', async () => {
    expect(await run('exec', 'my_db', '--', 'echo', 'in')).toMatchObject({
      code: 0,
      stdout: 'in\n',
    });
    writeFileSync(join(work, 'f.txt'), 'x');
    expect((await run('cp', 'f.txt', 'my_db:/tmp/f.txt')).code).toBe(0);
  });

  it('run takes my_db too; its ARGS follow the declared command, as compose run (F566)', async () => {
    // `command: [sleep, "3600"]` is the image's ENTRYPOINT, `-- ARGS` replace `args` (CMD):
    // `-- 0` runs `sleep 3600 0`, an hour, as `docker run --entrypoint sleep IMAGE 3600 0`
    // would (F566 read it as `sleep 0`). A one-off that ends at once returns at once, in
    // process with an ended stdin too.
    const started = Date.now();
    const once = await run('run', '--rm', '--no-deps', '--entrypoint', 'sleep', 'my_db', '--', '0');
    expect(once.code, once.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    const appended = await run('run', '--rm', '--no-deps', 'my_db', '--', 'soon');
    expect(appended.code).toBe(1);
    expect(appended.stdout + appended.stderr).toContain("invalid number 'soon'");
  });

  it('a name one typo off gets a did-you-mean in exec, logs, restart, run and describe', async () => {
    const hint = '; did you mean "my-db"?';
    for (const verb of [
      ['exec', 'my-bd', '--', 'true'],
      ['logs', 'my-bd'],
      ['restart', 'my-bd'],
    ]) {
      const out = await run(...verb);
      expect(out.code, verb[0]).toBe(1);
      expect(out.stderr, verb[0]).toContain(`no container my-bd in project ${project}${hint}`);
    }
    const once = await run('run', '--rm', 'my-bd');
    expect(once.stderr).toContain(`no container my-bd declared in project ${project}${hint}`);
    const described = await run('describe', 'container/my-bd');
    expect(described.stderr).toContain(`no object Container/my-bd in project ${project}${hint}`);
  });
});
