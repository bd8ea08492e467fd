import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * F26 on the real engine: changing `replicas` alone keeps the running replicas. Replica 1 is
 * renamed between `<p>-api` and `<p>-api-1` in place (same id, never stopped); only the
 * surplus is created or removed; `replicas: 0` leaves no container and status is in sync.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-scale-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifest = (replicas: number) => `apiVersion: berth/v1
kind: Container
metadata: {name: api}
spec:
  image: ${TEST_IMAGE}
  init: true
  replicas: ${replicas}
  command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"]
  healthcheck: {command: [CMD, "true"], interval: 1s, retries: 3}
---
${sleeperYaml('gateway', '  dependsOn: [{container: api, condition: healthy}]\n')}`;

describe('scaling keeps the running replicas (F26)', () => {
  const project = uniqueProject('scale');
  const dir = join(work, 'app');
  const write = (replicas: number) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.yaml'), manifest(replicas));
    return dir;
  };
  const run = (verb: string, replicas: number, ...extra: string[]) =>
    berth([verb, '-f', write(replicas), '-p', project, ...extra], { env });
  afterAll(() => cleanupProject(project));

  /** Engine name → `id started-at status` of the project's api containers. */
  const apis = async (): Promise<Record<string, string>> => {
    const names = (
      await docker(
        'ps',
        '-a',
        '--format',
        '{{.Names}}',
        '--filter',
        `label=berth.project=${project}`,
      )
    )
      .split('\n')
      .filter((n) => n.startsWith(`${project}-api`));
    const out: Record<string, string> = {};
    for (const name of names.sort())
      out[name] = await docker(
        'inspect',
        '-f',
        '{{.Id}} {{.State.StartedAt}} {{.State.Status}}',
        name,
      );
    return out;
  };

  it('1 → 3 → 1 renames replica 1 in place, never stopping it; 0 leaves none', async () => {
    const one = await run('apply', 1);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    const first = (await apis())[`${project}-api`];
    expect(first).toMatch(/ running$/);

    const plan = await run('plan', 3);
    expect(plan.stdout).toMatch(
      new RegExp(`~ Container/api-1 +rename ${project}-api → ${project}-api-1 +replicas 1 → 3`),
    );
    expect(plan.stdout).not.toMatch(/Container\/api +(stop|remove)/);

    const three = await run('apply', 3);
    expect(three.code).toBe(0);
    const scaled = await apis();
    expect(Object.keys(scaled)).toEqual([1, 2, 3].map((i) => `${project}-api-${i}`));
    // Same id, same StartedAt: renamed, never stopped.
    expect(scaled[`${project}-api-1`]).toBe(first);
    expect(scaled[`${project}-api-2`]).toMatch(/ running$/);
    expect(scaled[`${project}-api-3`]).toMatch(/ running$/);
    const labels = await docker(
      'inspect',
      '-f',
      '{{index .Config.Labels "berth.name"}} {{index .Config.Labels "berth.replica"}}',
      `${project}-api-1`,
      `${project}-api-2`,
    );
    // Every replica is labelled with the declared name; the renamed one keeps its labels.
    expect(labels.split('\n')).toEqual(['api ', 'api 2']);
    // Peers still reach the service by its declared name after the rename.
    const page = await docker('exec', `${project}-gateway`, 'wget', '-q', '-O', '-', 'http://api/');
    expect(page.length).toBeGreaterThan(0);
    expect((await run('plan', 3, '--exit-code')).code).toBe(0);

    const back = await run('apply', 1);
    expect(back.code).toBe(0);
    expect(await apis()).toEqual({ [`${project}-api`]: first });
    expect((await run('plan', 1, '--exit-code')).code).toBe(0);

    const zero = await run('apply', 0);
    expect(zero.code).toBe(0);
    expect(await apis()).toEqual({});
    const status = await berth(['status', '-f', dir, '-p', project], { env });
    expect(status.code).toBe(0);
    const get = await berth(['get', 'Container', '-f', dir, '-p', project], { env });
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/api +Container +0 replicas +absent +0\/0/);
  });
});
