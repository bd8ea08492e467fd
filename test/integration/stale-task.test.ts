import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { mutatingRequests } from '../support/counting-proxy.js';
import { startMisleadingProxy } from '../support/misleading-proxy.js';

/**
 * F766: after `dockerd` was stopped and started under load, containerd still held the task of
 * a container's earlier run and the engine refused every start of it ("task <id>: already
 * exists"); `berth watch` retried the same start until the end. The engine is reached
 * through a proxy that answers the first start so (the real engine's answer, seen in CI);
 * everything else is the real engine's.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-stale-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const project = uniqueProject('stale');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

const ids = async () =>
  (await docker('ps', '-aq', '--no-trunc', '--filter', `label=berth.project=${project}`))
    .split('\n')
    .filter(Boolean);

describe('a container the engine cannot start again because it kept an old task', () => {
  it('is replaced by a new one from the same declaration, once', async () => {
    // Created, not started, first: the start through the proxy is the container's next run.
    writeFileSync(join(work, 'app.yaml'), sleeperYaml('web', '  state: created\n'));
    const created = await berth(['apply', '-f', work, '-p', project], { env });
    writeFileSync(join(work, 'app.yaml'), sleeperYaml('web'));
    const socket = join(work, 'engine.sock');
    const proxy = await startMisleadingProxy(socket, { staleTaskStarts: 1 });
    let first: string[] = [];
    try {
      first = await ids();
      const applied = await berth(
        ['apply', '-f', work, '-p', project, '--engine', `unix://${socket}`, '--log-level', 'info'],
        { env },
      );
      // `POST start`, `DELETE remove`, `POST create`: what berth asked of the engine's containers.
      const containerCalls = mutatingRequests(proxy.seen).flatMap((r) => {
        const m =
          /^(POST|DELETE) (?:\/v[\d.]+)?\/containers\/(?:[^/]+\/(start)|(create)|[^/]+$)/.exec(r);
        return m ? [`${m[1]} ${m[2] ?? m[3] ?? 'remove'}`] : [];
      });
      expect(containerCalls).toEqual(['POST start', 'DELETE remove', 'POST create', 'POST start']);
      expect(created.code, created.stdout + created.stderr).toBe(0);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      expect(applied.stdout + applied.stderr).toMatch(/still held a task of its earlier run/);
    } finally {
      await proxy.close();
    }
    const now = await ids();
    expect(first).toHaveLength(1);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(first[0]);
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${project}-web`)).toBe('running');
  });
});
