import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../controller/engine/docker/docker-engine.js';
import type { Engine } from '../../controller/engine/engine.js';
import { ownershipLabels } from '../../controller/labels.js';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy.js';
import { testEngine } from '../support/engine.js';

/**
 * `observe` must cost a constant number of API calls. A tiny HTTP proxy on a unix socket
 * sits between the adapter and the engine and records every request it forwards.
 */

/**
 * The lists of one observe. On Podman also libpod's container list, the only one that
 * carries health (README "Several engines"; known from the Server header, no call of its own).
 */
const OBSERVE_LISTS = [
  'GET /containers/json',
  'GET /images/json',
  'GET /networks',
  ...(testEngine() === 'podman' ? ['GET /v4.0.0/libpod/containers/json'] : []),
  'GET /volumes',
];

describe('observe on the real engine', () => {
  const project = uniqueProject('obs-calls');
  let dir: string;
  let proxy: CountingProxy;
  let engine: Engine;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-proxy-'));
    const socketPath = join(dir, 'engine.sock');
    proxy = await startCountingProxy(socketPath);
    engine = await createDockerEngine({
      kind: 'unix',
      socketPath,
      display: `unix://${socketPath}`,
    });
  });

  afterAll(async () => {
    await cleanupProject(project);
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function observeCalls(): Promise<string[]> {
    proxy.seen.length = 0;
    const state = await engine.observe({ project });
    expect(state.containers.every((c) => c.labels['berth.project'] === project)).toBe(true);
    return [...proxy.seen].sort();
  }

  it('makes exactly four list requests (five on Podman) whatever the number of objects', async () => {
    const empty = await observeCalls();
    expect(empty).toEqual(OBSERVE_LISTS);

    const base = {
      image: TEST_IMAGE,
      env: {},
      ports: [],
      mounts: [],
      networks: [],
      restartPolicy: 'no' as const,
    };
    for (const n of ['a', 'b', 'c', 'd', 'e']) {
      await engine.createContainer({
        ...base,
        name: `${project}-${n}`,
        labels: ownershipLabels(project, 'Container', n, 'h'),
        cmd: ['true'],
        stopTimeoutSec: 1,
        init: false,
        privileged: false,
      });
      await engine.createVolume({
        name: `${project}-${n}`,
        driver: 'local',
        options: {},
        labels: ownershipLabels(project, 'Volume', n, 'h'),
      });
    }
    const full = await observeCalls();
    expect(full).toEqual(empty);
    const state = await engine.observe({ project });
    expect(state.containers).toHaveLength(5);
    expect(state.volumes).toHaveLength(5);
  });

  it('reports named networks and volumes whatever their labels in the same calls', async () => {
    proxy.seen.length = 0;
    const state = await engine.observe({
      project,
      named: { networks: ['bridge', `${project}-missing`], volumes: [`${project}-a`] },
    });
    expect([...proxy.seen].sort()).toEqual(await observeCalls());
    expect(state.named?.networks.map((n) => n.name)).toEqual(['bridge']);
    expect(state.named?.volumes.map((v) => v.name)).toEqual([`${project}-a`]);
    expect(state.networks.map((n) => n.name)).not.toContain('bridge');
    expect(state.volumes).toHaveLength(5);
  });

  it('looks up any number of names with one list call per kind', async () => {
    const many = Array.from({ length: 600 }, (_, i) => `${project}-missing-${i}`);
    proxy.seen.length = 0;
    const found = await engine.lookupNames({
      containers: [...many, `${project}-a`],
      networks: many,
      volumes: [...many, `${project}-b`],
    });
    expect([...proxy.seen].sort()).toEqual([
      'GET /containers/json',
      'GET /networks',
      'GET /volumes',
    ]);
    expect(found.containers.map((c) => c.name)).toEqual([`${project}-a`]);
    expect(found.networks).toEqual([]);
    expect(found.volumes.map((v) => v.name)).toEqual([`${project}-b`]);
  });
});

describe('a no-op apply on the real engine', () => {
  const project = uniqueProject('noop-ext');
  const dir = mkdtempSync(join(tmpdir(), 'berth-noop-'));
  const env = { XDG_STATE_HOME: join(dir, 'state') };
  let proxy: CountingProxy;
  beforeAll(async () => {
    proxy = await startCountingProxy(join(dir, 'engine.sock'));
    await docker('network', 'create', `${project}-shared`);
    await docker('volume', 'create', `${project}-cache`);
  });
  afterAll(async () => {
    await cleanupProject(project);
    await docker('network', 'rm', `${project}-shared`).catch(() => '');
    await docker('volume', 'rm', `${project}-cache`).catch(() => '');
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('costs four engine calls (five on Podman), with or without external networks and volumes', async () => {
    const manifest = (externals: boolean) =>
      [
        ...(externals
          ? [
              `apiVersion: berth/v1\nkind: Network\nmetadata: {name: shared}\nspec: {external: true, name: ${project}-shared}`,
              `apiVersion: berth/v1\nkind: Volume\nmetadata: {name: cache}\nspec: {external: true, name: ${project}-cache}`,
            ]
          : []),
        ...['a', 'b', 'c'].map(
          (n) =>
            `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${n}}\nspec:\n  image: ${TEST_IMAGE}\n  command: [/bin/sh, -c, "trap 'exit 0' TERM; sleep 300 & wait"]\n` +
            (externals
              ? `  networks: [default, shared]\n  mounts: [{volume: cache, target: /cache}]\n`
              : ''),
        ),
      ].join('\n---\n');
    const calls = async (externals: boolean) => {
      const file = join(dir, `${externals}.yaml`);
      writeFileSync(file, manifest(externals));
      const first = await berth(['apply', '-f', file, '-p', project], { env });
      expect(first.code).toBe(0);
      proxy.seen.length = 0;
      const again = await berth(
        ['apply', '-f', file, '-p', project, '--engine', `unix://${proxy.socketPath}`],
        { env },
      );
      expect(again.stdout).toContain('unchanged');
      return [...proxy.seen].sort();
    };
    const plain = await calls(false);
    expect(plain).toEqual(OBSERVE_LISTS);
    // Externals carry no project label: the network and volume lists go unfiltered and are
    // split by label and by name in the adapter, so they cost no call of their own.
    expect(await calls(true)).toEqual(plain);
  });
});

describe('berth down on the real engine', () => {
  const project = uniqueProject('down-calls');
  const dir = mkdtempSync(join(tmpdir(), 'berth-down-calls-'));
  const env = { XDG_STATE_HOME: join(dir, 'state') };
  let proxy: CountingProxy;
  beforeAll(async () => {
    proxy = await startCountingProxy(join(dir, 'engine.sock'));
  });
  afterAll(async () => {
    await cleanupProject(project);
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('observes the engine once (each list call once), with and without --volumes', async () => {
    const file = join(dir, 'set.yaml');
    writeFileSync(
      file,
      [
        `apiVersion: berth/v1\nkind: Volume\nmetadata: {name: data}\nspec: {retain: true}`,
        ...['a', 'b'].map(
          (n) =>
            `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${n}}\nspec:\n  image: ${TEST_IMAGE}\n  command: [/bin/sh, -c, "trap 'exit 0' TERM; sleep 300 & wait"]\n  mounts: [{volume: data, target: /data}]\n`,
        ),
      ].join('\n---\n'),
    );
    const lists = () =>
      proxy.seen.filter((r) => /^GET \/(containers\/json|images\/json|networks|volumes)$/.test(r));
    for (const extra of [[], ['--volumes']]) {
      expect((await berth(['apply', '-f', file, '-p', project], { env })).code).toBe(0);
      proxy.seen.length = 0;
      const down = await berth(
        ['down', '-p', project, ...extra, '--engine', `unix://${proxy.socketPath}`],
        { env },
      );
      expect(down.code, down.stdout + down.stderr).toBe(0);
      expect(down.stdout).toContain('deleted');
      expect(lists().sort()).toEqual([
        'GET /containers/json',
        'GET /images/json',
        'GET /networks',
        'GET /volumes',
      ]);
    }
    // --volumes removed the retained volume on purpose; the first down kept it.
    expect(await docker('volume', 'ls', '-q', '--filter', `name=${project}-data`)).toBe('');
  });
});
