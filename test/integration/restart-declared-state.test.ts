import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

// `berth restart` keeps each container in its declared state (new-user trial: restarting a
// container declared paused or exited left it running and the project out of sync).
const project = uniqueProject('rst');
const dir = mkdtempSync(join(tmpdir(), 'berth-rst-'));
const stateDir = mkdtempSync(join(tmpdir(), 'berth-rst-state-'));
const env = { XDG_STATE_HOME: stateDir };
const run = (args: string[]) => berth([...args, '-p', project], { cwd: dir, env });
/** `restarts` of each container in `get -o json` (DESIGN.md: berth restart is "counted", F468). */
async function restarts(): Promise<Record<string, number | null>> {
  const get = await run(['get', '-o', 'json']);
  expect(get.code, get.stderr).toBe(0);
  const items = (JSON.parse(get.stdout) as { items: { key: string; restarts: number | null }[] })
    .items;
  return Object.fromEntries(
    items.filter((i) => i.key.startsWith('Container/')).map((i) => [i.key, i.restarts]),
  );
}
const state = (name: string) =>
  docker('inspect', '-f', '{{.State.Status}} {{.State.StartedAt}}', `${project}-${name}`);

beforeAll(async () => {
  writeFileSync(
    join(dir, 'app.yaml'),
    [
      sleeperYaml('paused', '  state: paused\n  stopGracePeriod: 1s\n'),
      sleeperYaml('done', '  state: exited\n  stopGracePeriod: 1s\n'),
      sleeperYaml('web', '  replicas: 2\n  stopGracePeriod: 1s\n'),
    ].join('---\n'),
  );
  const apply = await run(['apply', '--log-level', 'warn']);
  expect(apply.code, apply.stderr).toBe(0);
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('berth restart and the declared state', () => {
  it('restarts a container declared paused and leaves it paused, in sync', async () => {
    const before = await state('paused');
    const restart = await run(['restart', 'paused']);
    expect(restart.code, restart.stderr).toBe(0);
    const after = await state('paused');
    expect(after).toMatch(/^paused /);
    expect(after).not.toBe(before);
    const status = await run(['status']);
    expect(status.code, status.stdout).toBe(0);
    expect((await restarts())['Container/paused']).toBe(1);
  });

  it('refuses a container declared exited, before anything restarts (exit 1)', async () => {
    const before = await state('paused');
    const restart = await run(['restart', 'paused', 'done']);
    expect(restart.code).toBe(1);
    expect(restart.stderr).toContain('Container/done is declared exited');
    expect(await state('done')).toMatch(/^exited /);
    expect(await state('paused')).toBe(before);
  });

  it('restarts every replica of a container declared with replicas, by its declared name (F81)', async () => {
    const before = [await state('web-1'), await state('web-2')];
    const restart = await run(['restart', 'web']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stdout).toContain('Container/web-1: restarted');
    expect(restart.stdout).toContain('Container/web-2: restarted');
    const after = [await state('web-1'), await state('web-2')];
    for (const [i, s] of after.entries()) {
      expect(s).toMatch(/^running /);
      expect(s).not.toBe(before[i]);
    }
    // Each replica counted once; the refused restart of the test before counted nothing.
    expect(await restarts()).toMatchObject({
      'Container/paused': 1,
      'Container/web-1': 1,
      'Container/web-2': 1,
    });
  });
});
