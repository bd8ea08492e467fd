import { afterAll, describe, expect, it } from 'vitest';
import { docker, TEST_IMAGE } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { cliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';
import { stateOf } from './watch-support.js';

/**
 * FINDINGS F200: a declared Container whose engine name a container berth does not own holds
 * was marked blocked by the plan, but the executor still sent its create and failed with the
 * engine's 409. The plan is what runs: the blocked container runs nothing, apply fails it
 * with the plan's reason naming the holder, the rest converges, nothing foreign is touched.
 */

const p = cliProject('blocked', `${sleeperYaml('web')}---\n${sleeperYaml('other')}`);
const foreign = `${p.project}-web`;
afterAll(async () => {
  await docker('rm', '-f', foreign).catch(() => '');
  await p.cleanup();
});

const facts = (name: string) =>
  docker('inspect', '-f', '{{.Id}} {{.State.Status}} {{json .Config.Labels}}', name);

describe('a declared container whose engine name a foreign container holds', () => {
  it('runs nothing: apply fails it with the plan reason naming the holder; the foreign one is untouched', async () => {
    await docker('run', '-d', '--name', foreign, TEST_IMAGE, 'sleep', '3600');
    const before = await facts(foreign);

    const plan = await berth(p.stateHome, p.work, 'plan', '-f', p.dir, '-p', p.project);
    expect(plan.stdout).toMatch(/! Container\/web .*berth does not own/);

    const applied = await berth(p.stateHome, p.work, 'apply', '-f', p.dir, '-p', p.project);
    expect(applied.code, applied.stdout + applied.stderr).toBe(2);
    expect(applied.stdout).toContain(
      `Container/web: failed: the engine name ${foreign} is taken by a container berth does not own; berth will not adopt, rename or remove it\n`,
    );
    // No create was sent for it: no op logged, no engine refusal.
    expect(applied.stderr).not.toMatch(/"object":"Container\/web","op"/);
    expect(applied.stdout + applied.stderr).not.toMatch(/already in use|Conflict\./);
    // The rest of the set converged; the foreign container is as it was.
    expect(await stateOf(`${p.project}-other`)).toBe('running');
    expect(await facts(foreign)).toBe(before);
  }, 120_000);
});
