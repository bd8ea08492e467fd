import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy.js';
import { TEST_IMAGE, cleanupProject, uniqueProject } from '../support/docker.js';
import { testEngine } from '../support/engine.js';

/**
 * `berth status` costs a constant number of engine calls (issue 18): the four list calls,
 * whatever the number of containers. A counting proxy sits between berth and the engine.
 */

// On Podman also libpod's container list, the only one that carries health (README).
const LISTS = [
  'GET /containers/json',
  'GET /images/json',
  'GET /networks',
  ...(testEngine() === 'podman' ? ['GET /v4.0.0/libpod/containers/json'] : []),
  'GET /volumes',
];

describe('berth status on the real engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-status-calls-'));
  const env = { XDG_STATE_HOME: join(dir, 'state') };
  const projects = { 1: uniqueProject('stcalls1'), 10: uniqueProject('stcalls10') };
  let proxy: CountingProxy;

  beforeAll(async () => {
    proxy = await startCountingProxy(join(dir, 'engine.sock'));
  });
  afterAll(async () => {
    await Promise.all(Object.values(projects).map((p) => cleanupProject(p)));
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function statusCalls(n: 1 | 10): Promise<string[]> {
    const project = projects[n];
    const file = join(dir, `${n}.yaml`);
    writeFileSync(
      file,
      Array.from(
        { length: n },
        (_, i) =>
          `apiVersion: berth/v1\nkind: Container\nmetadata: {name: c${i}}\nspec:\n  image: ${TEST_IMAGE}\n  command: [/bin/sh, -c, "trap 'exit 0' TERM; sleep 300 & wait"]\n`,
      ).join('---\n'),
    );
    expect((await berth(['apply', '-f', file, '-p', project], { env })).code).toBe(0);
    proxy.seen.length = 0;
    const status = await berth(
      ['status', '-p', project, '--engine', `unix://${proxy.socketPath}`],
      { env },
    );
    expect(status.code).toBe(0);
    for (let i = 0; i < n; i++)
      expect(status.stdout).toMatch(new RegExp(`Container/c${i}\\s+running`));
    return [...proxy.seen].sort();
  }

  it('makes the four list calls (five on Podman) for 1 container and for 10', async () => {
    expect(await statusCalls(1)).toEqual(LISTS);
    expect(await statusCalls(10)).toEqual(LISTS);
  });
});
