import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import {
  cleanupProject,
  docker,
  projectContainerStates,
  TEST_IMAGE,
  uniqueProject,
} from '../support/docker.js';
import { recordEvents } from '../support/engine-events.js';
import { killStrayBerths, spawnBerth } from './watch-support.js';

/**
 * F667: after an update killed with SIGKILL right when it created the new container, `plan`
 * showed only the undo of the update (and a start of the container the undo removes), not the
 * update that the next apply then makes again. The plan is what runs: the steps `plan` prints
 * for the container are, in order, the operations the next apply reports for it.
 */

const project = uniqueProject('killplan');
const state = mkdtempSync(join(tmpdir(), 'berth-killplan-'));
const env = { XDG_STATE_HOME: state };
const file = join(state, 'set.yaml');

function manifest(version: number, order: string): string {
  return `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "600"]
  env: {V: "${version}"}
  update: {order: ${order}, minReady: 1s}
`;
}

/** Starts an apply of `version` and kills it (SIGKILL) at the engine's first `create` event. */
async function applyKilledAtCreate(version: number, order: string): Promise<string> {
  writeFileSync(file, manifest(version, order));
  let found: (name: string) => void = () => undefined;
  const created = new Promise<string>((resolve) => (found = resolve));
  const recording = recordEvents(project, (e) => e.action === 'create' && found(e.name));
  await recording.ready;
  const run = spawnBerth(['apply', '-f', file, '-p', project], env);
  const at = await Promise.race([created, run.exited.then(() => 'finished')]);
  run.child.kill('SIGKILL');
  await run.exited;
  await recording.stop();
  return at;
}

/** The actions `plan -o json` lists for Container/web, in order. */
async function plannedActions(): Promise<string[]> {
  const planned = await berth(['plan', '-f', file, '-p', project, '-o', 'json'], { env });
  expect(planned.code, planned.stderr).toBe(0);
  const { objects } = JSON.parse(planned.stdout) as {
    objects: { key: string; steps: { action: string }[] }[];
  };
  return objects.find((o) => o.key === 'Container/web')?.steps.map((s) => s.action) ?? [];
}

/** The operations an apply reports for Container/web (its info log lines), in order. */
function appliedOps(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { object?: string; op?: string })
    .filter((entry) => entry.object === 'Container/web' && entry.op)
    .map((entry) => entry.op as string);
}

afterAll(async () => {
  await killStrayBerths();
  await cleanupProject(project);
  rmSync(state, { recursive: true, force: true });
});

describe('plan after an update killed midway (real engine)', () => {
  it.each([
    ['stop-first', 2],
    ['start-first', 3],
  ])('%s: plan shows the repair and the update, and apply runs exactly that', async (order, v) => {
    writeFileSync(file, manifest(v - 1, order));
    const first = await berth(['apply', '-f', file, '-p', project], { env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const at = await applyKilledAtCreate(v, order);
    expect(at).not.toBe('finished');
    const left = await projectContainerStates(project);
    const planned = await plannedActions();
    // Whatever the repair, the update is still to be made: its new container is created.
    expect(planned, left.join(', ')).toContain('create');
    const applied = await berth(['apply', '-f', file, '-p', project], {
      env: { ...env, BERTH_LOG_LEVEL: 'info' },
    });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(appliedOps(applied.stderr), `${left.join(', ')}: ${planned.join(' ')}`).toEqual(planned);
    expect(await projectContainerStates(project)).toEqual([`${project}-web running`]);
    expect(await docker('inspect', '-f', '{{json .Config.Env}}', `${project}-web`)).toContain(
      `V=${v}`,
    );
    expect(await plannedActions()).toEqual([]);
  });
});
