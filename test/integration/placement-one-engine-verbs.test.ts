import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { scratchDockerConfig } from '../support/cluster.js';
import { cleanupProject, docker, freePort, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { eventually, killStrayBerths, spawnBerth, waitForApi } from './watch-support.js';

/**
 * A set with an object placed on another context (here one that cannot be reached): `plan`,
 * `diff` and `apply --dry-run` plan it on its own engine (listed as not reachable), and
 * `watch`, which works against one engine, refuses the object at its position instead of
 * creating it on its own engine (it once did, and `plan` said "no changes").
 */
const { work, dir, env, contexts } = scratchDockerConfig('one-engine-verbs');
const project = uniqueProject('oneeng');

beforeAll(async () => {
  mkdirSync(dir);
  writeFileSync(join(dir, 'home.yaml'), sleeperYaml('home'));
  writeFileSync(join(dir, 'away.yaml'), sleeperYaml('away', '  placement: {context: far}\n'));
  await contexts('create', 'far', '--docker', 'host=tcp://127.0.0.1:1');
});

afterAll(async () => {
  await killStrayBerths();
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

const names = async () =>
  (await docker('ps', '-a', '--filter', `label=berth.project=${project}`, '--format', '{{.Names}}'))
    .split('\n')
    .filter(Boolean)
    .sort();

describe('verbs that change nothing, on a set placed on two engines', () => {
  it('plan, diff and apply --dry-run plan each object on its own engine', async () => {
    for (const args of [['plan'], ['diff'], ['apply', '--dry-run']]) {
      const r = await berth([...args, '-f', dir, '-p', project], { env });
      const out = r.stdout + r.stderr;
      expect(out, args.join(' ')).toContain('Container/home');
      expect(out, args.join(' ')).toContain('Container/away@far');
      expect(out, args.join(' ')).toContain('context "far"');
    }
    expect(await names()).toEqual([]);
  });
});

describe('berth watch on a set placed on two engines', () => {
  it("refuses the object placed elsewhere at its position and creates only its own engine's", async () => {
    const port = await freePort();
    const w = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`], env);
    await waitForApi(w);
    const created = await eventually(
      async () => (await names()).join() === `${project}-home`,
      30_000,
    );
    expect(created, w.stderr()).toBe(true);
    expect(w.stderr() + w.stdout()).toMatch(
      /away\.yaml:\d+:\d+: .*placed on context far.*\[E_PLACEMENT\]/,
    );
    const status = (await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json()) as {
      objects: { key: string }[];
    };
    expect(status.objects.map((o) => o.key)).not.toContain('Container/away');
    w.child.kill('SIGTERM');
    await w.exited;
    expect(await names()).toEqual([`${project}-home`]);
  });
});
