import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import {
  clusterEngine,
  scratchDockerConfig,
  startCluster,
  type Cluster,
} from '../support/cluster.js';
import { cleanupProject, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { ENGINE_HOST } from '../support/engine.js';

const run = promisify(execFile);

/**
 * `spec.placement.context` on real engines: the host engine plus two extra dockerd from
 * scripts/cluster (each in its own network namespace, tcp on 10.231.0.1x), reached
 * through contexts made by `docker context create` in a scratch DOCKER_CONFIG.
 */
const { work, dir, env, contexts } = scratchDockerConfig('placement');
const project = uniqueProject('place');
let cluster: Cluster | undefined;

const on = (host: string, ...args: string[]) =>
  run('docker', ['-H', host, ...args]).then((r) => r.stdout.trim());
const HOST = ENGINE_HOST;
const names = (host: string, what: 'ps' | 'network') =>
  on(
    host,
    ...(what === 'ps' ? ['ps', '-a'] : ['network', 'ls']),
    '--filter',
    `label=berth.project=${project}`,
    '--format',
    what === 'ps' ? '{{.Names}}' : '{{.Name}}',
  ).then((out) => out.split('\n').filter(Boolean).sort());

const sleeper = (name: string, extra = '') => `apiVersion: berth/v1
kind: Container
metadata: {name: ${name}}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "3600"]
${extra}---
`;
const network = `apiVersion: berth/v1\nkind: Network\nmetadata: {name: backend}\n---\n`;

function write(yaml: string): void {
  writeFileSync(join(dir, 'app.yaml'), yaml);
}

beforeAll(async () => {
  mkdirSync(dir);
  cluster = await startCluster(TEST_IMAGE);
  const ctx = (...args: string[]) => contexts('create', ...args);
  await ctx('dc1', '--docker', `host=${clusterEngine(1)}`);
  await ctx('dc2', '--docker', `host=${clusterEngine(2)}`);
  await ctx('gone', '--docker', 'host=tcp://127.0.0.1:1');
}, 120_000);

afterAll(async () => {
  for (const host of [HOST, clusterEngine(1), clusterEngine(2)]) {
    const ids = await names(host, 'ps').catch(() => []);
    if (ids.length) await on(host, 'rm', '-f', ...ids).catch(() => undefined);
    const nets = await names(host, 'network').catch(() => []);
    if (nets.length) await on(host, 'network', 'rm', ...nets).catch(() => undefined);
  }
  await cleanupProject(project);
  await cluster?.down();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

const apply = () => berth(['apply', '-f', dir, '-p', project], { env });

describe('a set spanning engines', () => {
  it('creates each object on its engine; a network follows the containers that use it', async () => {
    write(
      network +
        sleeper('home', '  networks: [backend]\n') +
        sleeper('edge', '  networks: [backend]\n  placement: {context: dc1}\n'),
    );
    const r = await apply();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await names(HOST, 'ps')).toEqual([`${project}-home`]);
    expect(await names(clusterEngine(1), 'ps')).toEqual([`${project}-edge`]);
    expect(await names(clusterEngine(1), 'network')).toEqual([`${project}-backend`]);
    expect(await names(HOST, 'network')).toEqual([`${project}-backend`]);
    expect(await names(clusterEngine(2), 'ps')).toEqual([]);
  });

  it('a second apply changes nothing on any engine', async () => {
    const r = await apply();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('unchanged');
  });

  it('status and get show the context of every object', async () => {
    const status = await berth(['status', '-p', project, '-o', 'json'], { env });
    expect(status.code).toBe(0);
    const objects = (
      JSON.parse(status.stdout) as { objects: { key: string; context: string | null }[] }
    ).objects.map((o) => `${o.key} ${o.context}`);
    expect(objects.sort()).toEqual([
      'Container/edge@dc1 dc1',
      'Container/home null',
      'Network/backend null',
      'Network/backend@dc1 dc1',
    ]);
    const table = await berth(['get', '-p', project], { env });
    expect(table.stdout).toMatch(/^NAME\s+CONTEXT\s+KIND/);
    expect(table.stdout).toMatch(/\nedge\s+dc1\s+Container\s+running\s+running/);
    const wide = await berth(['status', '-p', project, '-o', 'wide'], { env });
    expect(wide.stdout).toMatch(/Container\/edge@dc1\s+running\s+running\s+yes\s+dc1/);
  });

  it('berth run of a placed container runs the one-off on its context (F287)', async () => {
    const r = await berth(
      ['run', '-f', dir, '-p', project, 'edge', '--entrypoint', 'echo', '--', 'placed'],
      {
        env,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('placed');
    const oneOffs = (host: string) =>
      on(
        host,
        'ps',
        '-aq',
        '--filter',
        `label=berth.project=${project}`,
        '--filter',
        'label=berth.oneoff=true',
      );
    const there = await oneOffs(clusterEngine(1));
    expect(there).not.toBe('');
    expect(await oneOffs(HOST)).toBe('');
    await on(clusterEngine(1), 'rm', '-f', ...there.split('\n'));
  });

  it('an unreachable context fails only its own objects, naming the context', async () => {
    write(
      network +
        sleeper('home', '  networks: [backend]\n') +
        sleeper('edge', '  networks: [backend]\n  placement: {context: dc1}\n') +
        sleeper('lost', '  placement: {context: gone}\n') +
        sleeper('far', '  placement: {context: dc2}\n'),
    );
    const r = await apply();
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /Container\/lost@gone: failed: context "gone": cannot reach the engine/,
    );
    expect(r.stdout).not.toMatch(/Container\/far@dc2: failed/);
    expect(await names(clusterEngine(2), 'ps')).toEqual([`${project}-far`]);
    const status = await berth(['status', '-p', project], { env });
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/Container\/lost@gone\s+running\s+unknown\s+no\s+context "gone"/);
    expect(status.stdout).toMatch(/Container\/far@dc2\s+running\s+running\s+yes/);
  });

  it('an engine going away mid-apply fails only its objects', async () => {
    // On dc2 `second` waits for `first` to complete (4 s); dc2 stops while it waits.
    write(
      network +
        sleeper('home', '  networks: [backend]\n') +
        sleeper('edge', '  networks: [backend]\n  placement: {context: dc1}\n') +
        sleeper('far', '  placement: {context: dc2}\n') +
        `apiVersion: berth/v1
kind: Container
metadata: {name: first}
spec:
  image: ${TEST_IMAGE}
  command: [sleep, "4"]
  restartPolicy: Never
  state: exited
  placement: {context: dc2}
---
` +
        sleeper(
          'second',
          '  dependsOn: [{container: first, condition: completed}]\n  placement: {context: dc2}\n',
        ) +
        sleeper('late', '  networks: [backend]\n'),
    );
    const applying = apply();
    for (let t = 0; t < 100; t++) {
      if ((await names(clusterEngine(2), 'ps')).includes(`${project}-first`)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await cluster?.stopEngine(2);
    const r = await applying;
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Container\/second@dc2: (failed|skipped)/);
    expect(r.stdout).toMatch(/context "dc2"/);
    expect(r.stdout).not.toMatch(/Container\/(home|late|edge@dc1): failed/);
    expect(await names(HOST, 'ps')).toEqual([`${project}-home`, `${project}-late`]);
  });
});
