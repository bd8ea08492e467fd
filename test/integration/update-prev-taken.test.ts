import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, freePort, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

/**
 * FINDINGS F127: a stop-first update whose `<name>-prev` is held by a container berth does not
 * own. The old container must keep serving (never stopped); the other container is untouched.
 */

const project = uniqueProject('updprev');
const name = (n: string) => `${project}-${n}`;
const stateOf = (n: string) =>
  docker('inspect', '-f', '{{.Id}} {{.State.Status}} {{.State.StartedAt}}', n);
let stateHome = '';
const foreign = name('web-prev');

afterAll(async () => {
  await docker('rm', '-f', foreign).catch(() => undefined);
  await cleanupProject(project);
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

    const run = await apply(2);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stdout + run.stderr).toContain(`the engine name ${foreign}`);
    expect(run.stdout + run.stderr).toContain('nothing was stopped');
    // Same container, running, never stopped (its StartedAt is unchanged).
    expect(await stateOf(name('web'))).toBe(before);
    expect(before).toMatch(/ running /);
    expect(await stateOf(foreign)).toBe(foreignBefore);
    const labels = await docker('inspect', '-f', '{{json .Config.Labels}}', foreign);
    expect(labels).not.toContain('berth.');
  });
});
