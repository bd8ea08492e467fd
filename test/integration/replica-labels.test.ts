import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../controller/engine/docker/docker-engine.js';
import { resolveEngineAddress } from '../../controller/engine/docker/engine-address.js';
import { containerCreateRequest } from '../../controller/plan/container-request.js';
import { berth } from '../support/cli.js';
import {
  mutatingRequests,
  startCountingProxy,
  type CountingProxy,
} from '../support/counting-proxy.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { desiredFrom, sleeperYaml } from '../support/manifests.js';

/**
 * F86 on the real engine: every replica of a Container declared with `replicas` above 1
 * carries `berth.name=<name>` and `berth.replica=<i>` (DESIGN.md), so one label filter lists
 * them all, as Compose's service label does; scaling still renames replica 1 in place, and
 * replicas made with the labels of F26 (`berth.name=<name>-<i>` on 2..N) are kept as they are.
 */

const state = mkdtempSync(join(tmpdir(), 'berth-rlabels-'));
const env = { XDG_STATE_HOME: join(state, 'state') };
let proxy: CountingProxy;

beforeAll(async () => {
  proxy = await startCountingProxy(join(state, 'engine.sock'));
});
afterAll(async () => {
  await proxy.close();
  rmSync(state, { recursive: true, force: true });
});

// A 1 s update gate, not the default 3 s (one replica at a time): the labels are tested here.
const manifest = (replicas: number, value = '1') =>
  sleeperYaml(
    'web',
    `  replicas: ${replicas}\n  stopGracePeriod: 1s\n  env: {V: "${value}"}\n  update: {minReady: 1s}\n`,
  );

function projectOf(prefix: string) {
  const project = uniqueProject(prefix);
  const dir = mkdtempSync(join(state, `${prefix}-`));
  const write = (replicas: number, value?: string) => {
    writeFileSync(join(dir, 'app.yaml'), manifest(replicas, value));
    return dir;
  };
  const cli = (verb: string, ...args: string[]) =>
    berth([verb, '-p', project, ...args], { cwd: dir, env });
  return {
    project,
    dir,
    cli,
    apply: (replicas: number, value?: string) =>
      berth(['apply', '-f', write(replicas, value), '-p', project], { env }),
    /** `<engine name> <berth.replica>` of the containers `berth.name=web` selects. */
    selected: async () =>
      (
        await docker(
          'ps',
          '-a',
          '--filter',
          `label=berth.project=${project}`,
          '--filter',
          'label=berth.name=web',
          '--format',
          '{{.Names}} {{.Label "berth.replica"}}',
        )
      )
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .sort(),
    ids: async () =>
      Object.fromEntries(
        (
          await docker(
            'ps',
            '-a',
            '--filter',
            `label=berth.project=${project}`,
            '--format',
            '{{.Names}} {{.ID}}',
          )
        )
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split(' ')),
      ) as Record<string, string>,
    /** In sync, and a second apply makes no mutating call. */
    settled: async (replicas: number, value?: string) => {
      const status = await berth(['status', '-p', project], { env });
      expect(status.code, status.stdout).toBe(0);
      expect(status.stdout).toMatch(/In sync:\s+yes/);
      proxy.seen.length = 0;
      const engine = `unix://${proxy.socketPath}`;
      const again = await berth(
        ['apply', '-f', write(replicas, value), '-p', project, '--engine', engine],
        { env },
      );
      expect(again.code, again.stderr).toBe(0);
      expect(proxy.seen.length).toBeGreaterThan(0);
      expect(mutatingRequests(proxy.seen)).toEqual([]);
    },
  };
}

describe('replica labels (F86)', () => {
  const p = projectOf('rlab');
  afterAll(() => cleanupProject(p.project));

  it('replicas: 3 → berth.name=web on each, berth.replica 1..3; 3 → 1 → 3 keeps working', async () => {
    const three = await p.apply(3);
    expect(three.code, three.stderr).toBe(0);
    const labelled = [1, 2, 3].map((i) => `${p.project}-web-${i} ${i}`);
    expect(await p.selected()).toEqual(labelled);
    await p.settled(3);
    const first = (await p.ids())[`${p.project}-web-1`];

    expect((await p.apply(1)).code).toBe(0);
    // Renamed in place: the same container, with the labels it was created with.
    expect(await p.selected()).toEqual([`${p.project}-web 1`]);
    expect((await p.ids())[`${p.project}-web`]).toBe(first);
    await p.settled(1);

    expect((await p.apply(3)).code).toBe(0);
    expect(await p.selected()).toEqual(labelled);
    expect((await p.ids())[`${p.project}-web-1`]).toBe(first);
    await p.settled(3);

    for (const i of [1, 2, 3])
      await docker('exec', `${p.project}-web-${i}`, 'sh', '-c', `echo hi-${i} > /proc/1/fd/1`);
    const logs = await p.cli('logs', 'web');
    expect(logs.code, logs.stderr).toBe(0);
    for (const i of [1, 2, 3]) expect(logs.stdout).toContain(`hi-${i}`);
    const exec = await p.cli('exec', 'web', '--', 'hostname');
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.stdout.trim()).toBe(
      await docker('inspect', '-f', '{{.Config.Hostname}}', `${p.project}-web-1`),
    );
    const restart = await p.cli('restart', 'web');
    expect(restart.code, restart.stderr).toBe(0);
    for (const i of [1, 2, 3]) expect(restart.stdout).toContain(`Container/web-${i}: restarted`);
    await p.settled(3);
  });
});

describe('replicas made with the labels of F26 (berth.name=web-<i> on 2..N)', () => {
  const p = projectOf('rlabup');
  afterAll(() => cleanupProject(p.project));

  /** Each replica created again as the berth of F26 made it: the same request, its labels. */
  const asMadeByF26 = async () => {
    const engine = await createDockerEngine(resolveEngineAddress(undefined, process.env));
    const desired = await desiredFrom(manifest(3), p.dir);
    for (const o of desired) {
      if (o.kind !== 'Container' || !o.replica) continue;
      const name = `${p.project}-${o.name}`;
      const labels = JSON.parse(
        await docker('inspect', '-f', '{{json .Config.Labels}}', name),
      ) as Record<string, string>;
      const { 'berth.replica': replica, ...rest } = labels;
      const old =
        o.replica.index === 1
          ? rest
          : { ...rest, 'berth.name': o.name, 'berth.replica': replica as string };
      await docker('rm', '-f', name);
      const request = containerCreateRequest(o, p.project, desired);
      const { id } = await engine.createContainer({ ...request, labels: old });
      await engine.startContainer(id);
    }
  };

  it('are kept: nothing recreated, scaling and an update replace them cleanly', async () => {
    expect((await p.apply(3)).code).toBe(0);
    await asMadeByF26();
    expect(await p.selected()).toEqual([`${p.project}-web-1`]);
    const before = await p.ids();
    const plan = await p.cli('plan', '-f', p.dir, '--exit-code');
    expect(plan.code, plan.stdout).toBe(0);
    await p.settled(3);
    expect(await p.ids()).toEqual(before);
    const exec = await p.cli('exec', 'web-3', '--', 'hostname');
    expect(exec.stdout.trim()).toBe(
      await docker('inspect', '-f', '{{.Config.Hostname}}', `${p.project}-web-3`),
    );

    // 3 → 2 removes the old-labelled replica 3 only, without --prune: no orphan.
    expect((await p.apply(2)).code).toBe(0);
    expect(Object.keys(await p.ids()).sort()).toEqual([1, 2].map((i) => `${p.project}-web-${i}`));
    expect((await p.ids())[`${p.project}-web-2`]).toBe(before[`${p.project}-web-2`]);
    await p.settled(2);

    // An update replaces each under the new labels, one container per name, none left over.
    const update = await p.apply(2, '2');
    expect(update.code, update.stderr).toBe(0);
    expect(await p.selected()).toEqual([1, 2].map((i) => `${p.project}-web-${i} ${i}`));
    expect(Object.keys(await p.ids()).sort()).toEqual([1, 2].map((i) => `${p.project}-web-${i}`));
    await p.settled(2, '2');
  });
});
