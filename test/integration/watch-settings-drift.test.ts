import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, freePort, uniqueProject } from '../support/docker.js';
import {
  containerYaml,
  eventually,
  spawnBerth,
  stateOf,
  tearDownWatch,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * F272 on the real engine: settings changed with `docker update` (restart policy, limits) are
 * seen by `berth watch` through the engine's `update` event (one inspect of that container;
 * the periodic resync is 10 min here) and repaired within seconds, logged as a reconcile with
 * cause `engine event: update`: in place where the engine can set the declared value back,
 * by a replace where it cannot take a limit off (a memory limit the declaration does not have).
 */
const project = uniqueProject('wupd');
let dir: string;
let state: string;
let watch: WatchProcess | undefined;
const runner = `${project}-runner`;
const limited = `${project}-limited`;

const settings = (name: string) =>
  docker(
    'inspect',
    '-f',
    '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.NanoCpus}}',
    name,
  ).catch(() => 'absent');
const idOf = (name: string) => docker('inspect', '-f', '{{.Id}}', name).catch(() => '');
/** The reconcile line of `key` for an update event, in what the watch logged after `from`. */
const reconciled = (key: string, from: number) => {
  const line = new RegExp(
    `"key":"${key}"[^\\n]*"cause":"engine event: update"[^\\n]*"msg":"reconcile"`,
  );
  return line.exec(watch!.stderr().slice(from))?.[0];
};

async function startWatch(): Promise<void> {
  const port = await freePort();
  const args = ['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`, '--resync', '10m'];
  watch = spawnBerth(args, { XDG_STATE_HOME: state });
  await waitForApi(watch);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-wupd-'));
  state = await mkdtemp(join(tmpdir(), 'berth-wupd-state-'));
  await writeFile(
    join(dir, 'app.yaml'),
    containerYaml('runner') +
      '---\n' +
      containerYaml('limited', '  resources: {memory: 64Mi, cpus: 0.5, pids: 100}\n'),
  );
  await startWatch();
  const up = await eventually(
    async () => (await stateOf(runner)) === 'running' && (await stateOf(limited)) === 'running',
    60_000,
  );
  if (!up) throw new Error(`did not converge:\n${watch!.stderr()}`);
  // The first reconciles queue their dependants once more: let them pass.
  await new Promise((r) => setTimeout(r, 2_000));
}, 90_000);

afterAll(async () => {
  await tearDownWatch(watch, project, dir, state);
});

describe('berth watch and settings changed with docker update', () => {
  it('sets a restart policy and limits back in place, keeping the container', async () => {
    const declared = 'unless-stopped 67108864 100 500000000';
    expect(await settings(limited)).toBe(declared);
    const id = await idOf(limited);
    const logged = watch!.stderr().length;
    await docker(
      'update',
      '--restart=no',
      '--memory',
      '32m',
      '--memory-swap',
      '64m',
      '--pids-limit',
      '50',
      '--cpus',
      '0.25',
      limited,
    );
    const back = await eventually(async () => (await settings(limited)) === declared, 15_000);
    expect(back, `${await settings(limited)}\n${watch!.stderr().slice(logged)}`).toBe(true);
    expect(await idOf(limited)).toBe(id);
    expect(await stateOf(limited)).toBe('running');
    expect(await eventually(async () => !!reconciled('Container/limited', logged), 5_000)).toBe(
      true,
    );
    expect(reconciled('Container/limited', logged)).toContain('"steps":["update"]');
  }, 40_000);

  it('replaces a container given a memory limit it does not declare, restoring its restart policy', async () => {
    expect(await settings(runner)).toMatch(/^unless-stopped 0 /);
    const id = await idOf(runner);
    const logged = watch!.stderr().length;
    await docker('update', '--restart=no', '--memory', '32m', '--memory-swap', '64m', runner);
    const back = await eventually(
      async () => /^unless-stopped 0 /.test(await settings(runner)),
      30_000,
    );
    expect(back, `${await settings(runner)}\n${watch!.stderr().slice(logged)}`).toBe(true);
    expect(await idOf(runner)).not.toBe(id);
    expect(await eventually(async () => (await stateOf(runner)) === 'running', 10_000)).toBe(true);
    expect(await eventually(async () => !!reconciled('Container/runner', logged), 5_000)).toBe(
      true,
    );
  }, 60_000);

  it('sets back at its start what was changed while no watch ran', async () => {
    watch!.child.kill('SIGTERM');
    await watch!.exited;
    const declared = 'unless-stopped 67108864 100 500000000';
    expect(await settings(limited)).toBe(declared);
    const id = await idOf(limited);
    await docker('update', '--restart=no', '--pids-limit', '50', limited);
    await startWatch();
    const back = await eventually(async () => (await settings(limited)) === declared, 20_000);
    expect(back, `${await settings(limited)}\n${watch!.stderr()}`).toBe(true);
    expect(await idOf(limited)).toBe(id);
  }, 60_000);
});
