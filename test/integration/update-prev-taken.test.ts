import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, freePort, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

/**
 * FINDINGS F127: a stop-first update whose `<name>-prev` is held by a container berth does not
 * own. The old container must keep serving (never stopped); the other container is untouched.
 * F168: plan and status say so before apply runs; the same for start-first's `<name>-next`.
 */

const project = uniqueProject('updprev');
const name = (n: string) => `${project}-${n}`;
const stateOf = (n: string) =>
  docker('inspect', '-f', '{{.Id}} {{.State.Status}} {{.State.StartedAt}}', n);
let stateHome = '';
const foreign = name('web-prev');
/** The start-first test's own project, and the container that holds its `-next`. */
const projectX = `${project}x`;
const foreignNext = `${projectX}-api-next`;

afterAll(async () => {
  await docker('rm', '-f', foreign, foreignNext).catch(() => undefined);
  await cleanupProject(project);
  await cleanupProject(projectX);
  if (stateHome) (await import('node:fs')).rmSync(stateHome, { recursive: true, force: true });
});

describe('stop-first with -prev taken by a foreign container', () => {
  it('fails without stopping the serving container; the foreign one is untouched', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    stateHome = await mkdtemp(join(tmpdir(), 'berth-updprev-state-'));
    const env = { XDG_STATE_HOME: stateHome };
    // A published host port makes stop-first the order.
    const port = await freePort();
    const web = (v: number) =>
      sleeperYaml('web', `  env: {V: "${v}"}\n  ports: ["127.0.0.1:${port}:80"]\n`);
    const apply = (v: number) =>
      berth(['apply', '-f', '-', '-p', project, '--timeout', '60s'], { stdin: web(v), env });

    const first = await apply(1);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    await docker('run', '-d', '--name', foreign, TEST_IMAGE, 'sleep', '3600');
    const before = await stateOf(name('web'));
    const foreignBefore = await stateOf(foreign);

    // F168: plan and status report it before apply stops anything, in apply's words.
    const taken = `the engine name ${foreign}, which a stop-first update gives the old container, is taken by a container berth does not own; nothing is stopped`;
    const plan = await berth(['plan', '-f', '-', '-p', project, '--exit-code'], {
      stdin: web(2),
      env,
    });
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toContain(`! Container/web  ${taken}`);
    const run = await apply(2);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stdout + run.stderr).toContain(taken);
    // F815: the apply was refused before any change, so the last applied set is still the
    // first one; status compared to the new files says why they cannot be applied.
    expect(run.stderr).toContain('nothing was changed');
    const status = await berth(['status', '-f', '-', '-p', project], { stdin: web(2), env });
    expect(status.code, status.stdout).toBe(3);
    expect(status.stdout).toContain(taken);
    // Same container, running, never stopped (its StartedAt is unchanged).
    expect(await stateOf(name('web'))).toBe(before);
    expect(before).toMatch(/ running /);
    expect(await stateOf(foreign)).toBe(foreignBefore);
    const labels = await docker('inspect', '-f', '{{json .Config.Labels}}', foreign);
    expect(labels).not.toContain('berth.');
  });

  it('start-first: plan blocks the update whose -next is taken; apply leaves both containers as they are', async () => {
    const env = { XDG_STATE_HOME: stateHome };
    // No host port and no volume: start-first.
    const api = (v: number) => sleeperYaml('api', `  env: {V: "${v}"}\n`);
    const run = (verb: string, v: number, ...extra: string[]) =>
      berth([verb, '-f', '-', '-p', projectX, ...extra], { stdin: api(v), env });
    const first = await run('apply', 1, '--timeout', '60s');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    await docker('run', '-d', '--name', foreignNext, TEST_IMAGE, 'sleep', '3600');
    const before = await stateOf(`${projectX}-api`);
    const taken = `the engine name ${foreignNext}, which a start-first update gives the new container, is taken by a container berth does not own; nothing is stopped`;
    const plan = await run('plan', 2);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`! Container/api  ${taken}`);
    const applied = await run('apply', 2, '--timeout', '60s');
    expect(applied.code, applied.stdout + applied.stderr).toBe(2);
    expect(applied.stdout + applied.stderr).toContain(taken);
    expect(await stateOf(`${projectX}-api`)).toBe(before);
    expect(await docker('inspect', '-f', '{{json .Config.Labels}}', foreignNext)).not.toContain(
      'berth.',
    );
  });
});
