import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { scratchDockerConfig } from '../support/cluster.js';
import { startCountingProxy, mutatingRequests } from '../support/counting-proxy.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { ENGINE_HOST } from '../support/engine.js';
import { sleeperYaml } from '../support/manifests.js';

const run = promisify(execFile);

/**
 * Two contexts that reach one engine (a context for the local socket beside the default one,
 * like Docker Desktop's `default` and `desktop-linux`): `apply --prune` once read each
 * context's objects as "not declared" through the other and deleted declared containers,
 * exiting 0 (new-user trial, session 4). They are one engine: nothing declared is deleted.
 */
const { work, dir, env, contexts } = scratchDockerConfig('same-engine');
const project = uniqueProject('same');
const counted = uniqueProject('samerec');

beforeAll(async () => {
  mkdirSync(dir);
  const placed = '  placement: {context: same}\n';
  writeFileSync(
    join(dir, 'set.yaml'),
    [sleeperYaml('here'), sleeperYaml('there', placed), sleeperYaml('other', placed)].join('---\n'),
  );
  await contexts('create', 'same', '--docker', `host=${ENGINE_HOST}`);
});

afterAll(async () => {
  await cleanupProject(project);
  await cleanupProject(counted);
  rmSync(work, { recursive: true, force: true });
});

async function running(): Promise<string[]> {
  const ps = await run('docker', [
    'ps',
    '--filter',
    `label=berth.project=${project}`,
    '--format',
    '{{.Label "berth.name"}}',
  ]);
  return ps.stdout.split('\n').filter(Boolean).sort();
}

describe('two contexts on one engine', () => {
  it('apply --prune, twice, keeps every declared container; status is in sync', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await berth(['apply', '--prune', '-f', dir, '-p', project], { env });
      expect(r.stdout + r.stderr).not.toMatch(/[1-9]\d* deleted/);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      // Joined from the first apply on, when nothing of the project exists yet: else both
      // groups create the project's default network on one engine (a CI run lost that race).
      expect(r.stderr).toMatch(/reach one engine/);
      expect(await running()).toEqual(['here', 'other', 'there']);
    }
    const status = await berth(['status', '-f', dir, '-p', project], { env });
    expect(status.stdout + status.stderr).not.toContain('Not declared');
    expect(status.code).toBe(0);
    const get = await berth(['get', '-f', dir, '-p', project, '-o', 'json'], { env });
    const names = (JSON.parse(get.stdout) as { items: { name: string }[] }).items.map(
      (i) => i.name,
    );
    expect(names.filter((n) => n === 'here')).toHaveLength(1);
  });
});

describe('a half-done update on an engine two contexts reach', () => {
  it("plan leaves it alone; apply recovers it once, through berth's own context only", async () => {
    // The second context reaches the engine through a counting proxy: what it does is seen.
    const proxy = await startCountingProxy(join(work, 'counted.sock'));
    try {
      await contexts('create', 'counted', '--docker', `host=unix://${proxy.socketPath}`);
      const app = join(work, 'counted-app');
      mkdirSync(app);
      const placed = '  placement: {context: counted}\n';
      writeFileSync(
        join(app, 'set.yaml'),
        [sleeperYaml('here'), sleeperYaml('there', placed)].join('---\n'),
      );
      const apply = () => berth(['apply', '-f', app, '-p', counted], { env });
      expect((await apply()).code).toBe(0);
      // What a start-first update stopped during its health gate leaves: `-next` beside the old.
      const labels = JSON.parse(
        await docker('inspect', `${counted}-there`, '--format', '{{json .Config.Labels}}'),
      ) as Record<string, string>;
      const next = `${counted}-there-next`;
      await docker(
        'create',
        '--name',
        next,
        ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
        TEST_IMAGE,
        'sleep',
        '3600',
      );
      const exists = () =>
        docker('inspect', '-f', '{{.Name}}', next).then(
          () => true,
          () => false,
        );
      const plan = await berth(['plan', '-f', app, '-p', counted], { env });
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      expect(await exists()).toBe(true);
      proxy.seen.length = 0;
      const again = await apply();
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stderr).toContain('reach one engine');
      expect(await exists()).toBe(false);
      // The joined context only observed: the recovery ran once, on the first context.
      expect(mutatingRequests(proxy.seen)).toEqual([]);
      expect(proxy.seen.length).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });
});
