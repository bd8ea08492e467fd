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
 * `watch` reconciles each engine on its own: the unreachable one fails only its object, named
 * by its context, and never creates it on berth's own engine (it once did, and `plan` said
 * "no changes"). test/integration/watch-across.test.ts runs watch on two real engines.
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

describe('berth watch on a set placed on two engines, one unreachable', () => {
  it("creates its own engine's objects, and lists the other's as unknown, naming the context", async () => {
    const port = await freePort();
    const w = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`], env);
    await waitForApi(w);
    const created = await eventually(
      async () => (await names()).join() === `${project}-home`,
      30_000,
    );
    expect(created, w.stderr()).toBe(true);
    type Status = {
      notice: string | null;
      objects: { key: string; context: string | null; observed: string; reason: string | null }[];
    };
    let status: Status | undefined;
    const listed = await eventually(async () => {
      status = (await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json()) as Status;
      return /context "far" unreachable/.test(status.notice ?? '');
    }, 30_000);
    expect(listed, JSON.stringify(status)).toBe(true);
    const away = status!.objects.find((o) => o.key === 'Container/away@far');
    expect(away).toMatchObject({ context: 'far', observed: 'unknown' });
    expect(away?.reason).toContain('context "far"');
    expect(status!.objects.map((o) => o.key)).not.toContain('Container/away');
    w.child.kill('SIGTERM');
    await w.exited;
    expect(await names()).toEqual([`${project}-home`]);
  });
});
