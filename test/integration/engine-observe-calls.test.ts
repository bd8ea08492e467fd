import { createServer, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../controller/engine/docker-engine.js';
import type { Engine } from '../../controller/engine/engine.js';
import { ownershipLabels } from '../../controller/labels.js';
import { TEST_IMAGE, cleanupProject, uniqueProject } from '../support/docker.js';

/**
 * `observe` must cost a constant number of API calls. A tiny HTTP proxy on a unix socket
 * sits between the adapter and the engine and records every request it forwards.
 */

const ENGINE_SOCKET = '/var/run/docker.sock';

function countingProxy(socketPath: string, seen: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    const upstream = httpRequest(
      { socketPath: ENGINE_SOCKET, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(socketPath, () => resolve(server)));
}

describe('observe on the real engine', () => {
  const project = uniqueProject('obs-calls');
  const seen: string[] = [];
  let dir: string;
  let proxy: Server;
  let engine: Engine;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-proxy-'));
    const socketPath = join(dir, 'engine.sock');
    proxy = await countingProxy(socketPath, seen);
    engine = await createDockerEngine({
      kind: 'unix',
      socketPath,
      display: `unix://${socketPath}`,
    });
  });

  afterAll(async () => {
    await cleanupProject(project);
    await new Promise((r) => proxy.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  async function observeCalls(): Promise<string[]> {
    seen.length = 0;
    const state = await engine.observe({ project });
    expect(state.containers.every((c) => c.labels['berth.project'] === project)).toBe(true);
    return [...seen].sort();
  }

  it('makes exactly four list requests whatever the number of objects', async () => {
    const empty = await observeCalls();
    expect(empty).toEqual([
      'GET /containers/json',
      'GET /images/json',
      'GET /networks',
      'GET /volumes',
    ]);

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
});
