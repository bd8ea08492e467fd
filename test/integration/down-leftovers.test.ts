import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { eventually, killStrayBerths, spawnBerth } from './watch-support.js';

/**
 * `berth down` after an update berth was stopped in the middle of, and after a down that
 * could not finish (new-user trial F3/F4): the `-next` leftover no longer keeps the project's
 * network "in use", and what a down failed to delete stays recorded, so a second down ends it.
 */
const work = mkdtempSync(join(tmpdir(), 'berth-down-left-'));
const project = uniqueProject('downleft');
const env = { XDG_STATE_HOME: join(work, 'state') };
const foreign = `${project}-foreign`;

beforeAll(() => writeFileSync(join(work, 'app.yaml'), sleeperYaml('svc')));

afterAll(async () => {
  await killStrayBerths();
  await docker('rm', '-f', foreign).catch(() => undefined);
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

async function leftovers(): Promise<string[]> {
  const out = await docker(
    'ps',
    '-a',
    '--filter',
    `label=berth.project=${project}`,
    '--format',
    '{{.Names}}',
  );
  const nets = await docker(
    'network',
    'ls',
    '--filter',
    `label=berth.project=${project}`,
    '--format',
    '{{.Name}}',
  );
  return [...out.split('\n'), ...nets.split('\n')].filter(Boolean).sort();
}

describe('down after faults', () => {
  it("removes an interrupted update's -next container, then the network", async () => {
    expect((await berth(['apply', '-f', work, '-p', project], { env })).code).toBe(0);
    // What a start-first update stopped during its health gate leaves: `-next` beside the old.
    const labels = JSON.parse(
      await docker('inspect', `${project}-svc`, '--format', '{{json .Config.Labels}}'),
    ) as Record<string, string>;
    await docker(
      'create',
      '--name',
      `${project}-svc-next`,
      '--network',
      `${project}-default`,
      ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
      TEST_IMAGE,
      'sleep',
      '3600',
    );
    const down = await berth(['down', '-p', project], { env, cwd: work });
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(await leftovers()).toEqual([]);
  });

  it('keeps what a down could not delete recorded: a second down deletes it', async () => {
    expect((await berth(['apply', '-f', work, '-p', project], { env })).code).toBe(0);
    // A container berth does not own holds the project's network: down cannot remove it.
    await docker(
      'run',
      '-d',
      '--name',
      foreign,
      '--network',
      `${project}-default`,
      TEST_IMAGE,
      'sleep',
      '3600',
    );
    const first = await berth(['down', '-p', project], { env, cwd: work });
    // Kept and named, as compose down warns and goes on (F462), and still recorded.
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain(`Network/default: kept, still used by container ${foreign}`);
    expect(await leftovers()).toEqual([`${project}-default`]);
    await docker('rm', '-f', foreign);
    const second = await berth(['down', '-p', project], { env, cwd: work });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain('1 deleted');
    expect(await leftovers()).toEqual([]);
  });

  it('removes the stopped one-offs of berth run, as compose down does', async () => {
    expect((await berth(['apply', '-f', work, '-p', project], { env })).code).toBe(0);
    const once = await berth(['run', '-p', project, '--entrypoint', 'true', 'svc'], {
      env,
      cwd: work,
    });
    expect(once.code, once.stderr).toBe(0);
    const oneOffs = () =>
      docker(
        'ps',
        '-a',
        '--filter',
        `label=berth.oneoff=true`,
        '--filter',
        `label=berth.project=${project}`,
        '--format',
        '{{.Names}}',
      );
    expect((await oneOffs()).trim()).not.toBe('');
    const down = await berth(['down', '-p', project], { env, cwd: work });
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain('one-off');
    expect((await oneOffs()).trim()).toBe('');
    expect(await leftovers()).toEqual([]);
  });

  it('stops and removes a running one-off, then the network it held, as compose down does (F164)', async () => {
    expect((await berth(['apply', '-f', work, '-p', project], { env })).code).toBe(0);
    // `berth run svc` without --rm: a session that runs until stopped (svc sleeps an hour).
    const session = spawnBerth(['run', '-p', project, 'svc'], env);
    const running = () =>
      docker(
        'ps',
        '--filter',
        'label=berth.oneoff=true',
        '--filter',
        `label=berth.project=${project}`,
        '--format',
        '{{.Names}}',
      );
    expect(await eventually(async () => (await running()).trim() !== '', 30_000)).toBe(true);
    const name = (await running()).trim();
    const down = await berth(['down', '-p', project], { env, cwd: work });
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain(`one-off ${name}: stopped and removed`);
    expect(down.stdout).not.toMatch(/kept, still used/);
    expect(await leftovers()).toEqual([]);
    // The session ends with its container.
    await session.exited;
  }, 60_000);
});
