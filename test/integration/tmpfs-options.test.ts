import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * F139: a tmpfs's mount flags (`options: [exec]`, Compose `tmpfs: /tmp:exec,nodev`) reach the
 * engine. Docker mounts a tmpfs `noexec,nosuid,nodev` by default, so `exec` is the flag that
 * changes something: a program copied onto it runs, while on a plain tmpfs it cannot.
 */

const dir = mkdtempSync(join(tmpdir(), 'berth-tmpfs-opts-'));
const project = uniqueProject('tmpfsopt');
const state = { XDG_STATE_HOME: join(dir, 'state') };
afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

writeFileSync(
  join(dir, 'compose.yaml'),
  `services:\n  app:\n    image: ${TEST_IMAGE}\n    init: true\n    command: [sleep, "3600"]\n` +
    `    tmpfs: ["/scratch:exec,nosuid,size=4m", /plain]\n`,
);

const mountLine = async (target: string) =>
  (await docker('exec', `${project}-app`, 'cat', '/proc/mounts'))
    .split('\n')
    .find((line) => line.split(' ')[1] === target) ?? '';

describe('tmpfs mount flags on the engine (F139)', () => {
  it('imports losslessly and mounts the tmpfs exec', async () => {
    const imported = await berth(['import', '-o', 'out', '-p', project], { cwd: dir, env: state });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const applied = await berth(['apply', '-f', join(dir, 'out')], { env: state });
    expect(applied.code, applied.stderr).toBe(0);
    const options = (await mountLine('/scratch')).split(' ')[3]?.split(',') ?? [];
    expect(options).toEqual(expect.arrayContaining(['nosuid', 'size=4096k']));
    expect(options).not.toContain('noexec');
    expect((await mountLine('/plain')).split(' ')[3]?.split(',')).toContain('noexec');
    for (const target of ['/scratch', '/plain'])
      await docker('exec', `${project}-app`, 'cp', '/bin/busybox', `${target}/echo`);
    expect(await docker('exec', `${project}-app`, '/scratch/echo', 'ran')).toContain('ran');
    await expect(docker('exec', `${project}-app`, '/plain/echo', 'ran')).rejects.toThrow();
    // applied again, nothing changes (the flags are part of the spec, not drift)
    const plan = await berth(['plan', '-f', join(dir, 'out'), '--exit-code'], { env: state });
    expect(plan.code, plan.stdout).toBe(0);
  });
});
