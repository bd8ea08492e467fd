import { afterAll, describe, expect, it } from 'vitest';
import { docker, TEST_IMAGE } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { cliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';
import { eventually, stateOf } from './watch-support.js';
import { watchFixture, type WatchFixture } from './watch-fixture.js';

/**
 * FINDINGS F200: a declared Container whose engine name a container berth does not own holds
 * was marked blocked by the plan, but the executor still sent its create and failed with the
 * engine's 409. The plan is what runs: the blocked container runs nothing, nothing foreign is
 * touched. F815: the one-shot apply then created the rest (a network, the other containers)
 * and failed on the blocked one, leaving a half-made project; it now refuses before any
 * change. The watch still converges the rest around it.
 */

const manifest = `apiVersion: berth/v1
kind: Network
metadata: {name: net}
---
${sleeperYaml('web', '  networks: [net]\n')}---
${sleeperYaml('other')}`;
const p = cliProject('blocked', manifest);
const foreign = `${p.project}-web`;
let f: WatchFixture | undefined;
let watchForeign: string | undefined;
afterAll(async () => {
  await docker('rm', '-f', foreign).catch(() => '');
  if (watchForeign) await docker('rm', '-f', watchForeign).catch(() => '');
  await f?.tearDown();
  await p.cleanup();
});

const facts = (name: string) =>
  docker('inspect', '-f', '{{.Id}} {{.State.Status}} {{json .Config.Labels}}', name);

describe('a declared container whose engine name a foreign container holds', () => {
  it('apply refuses before any change, naming the holder; the foreign one is untouched (F815)', async () => {
    await docker('run', '-d', '--name', foreign, TEST_IMAGE, 'sleep', '3600');
    const before = await facts(foreign);

    const plan = await berth(p.stateHome, p.work, 'plan', '-f', p.dir, '-p', p.project);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/! Container\/web .*berth does not own/);
    expect(plan.stdout).toContain(
      ', 1 blocked; apply refuses to change anything while a name conflict blocks an object.\n',
    );

    const applied = await berth(p.stateHome, p.work, 'apply', '-f', p.dir, '-p', p.project);
    expect(applied.code, applied.stdout + applied.stderr).toBe(2);
    expect(applied.stderr).toContain(
      `error: Container/web: the engine name ${foreign} is taken by a container berth does not own; berth will not adopt, rename or remove it; nothing was changed\n`,
    );
    expect(applied.stderr).toContain('hint: remove or rename what holds the name');
    // No step ran: no op logged, no engine refusal, nothing of the project made.
    expect(applied.stderr).not.toMatch(/"op":/);
    expect(applied.stdout + applied.stderr).not.toMatch(/already in use|Conflict\./);
    expect(await stateOf(`${p.project}-other`)).toBe('absent');
    expect(await docker('network', 'ls', '-q', '-f', `name=^${p.project}-net$`)).toBe('');
    expect(await facts(foreign)).toBe(before);
    // Recorded as a failed apply of this set, no step ran: status compares the engine with
    // it and says the project is not in sync (F850: it compared with the set before it).
    const history = await berth(p.stateHome, p.work, 'history', '-p', p.project);
    expect(history.stdout).toMatch(/ failed +\+0 ~0 -0 !1 /);
    const status = await berth(p.stateHome, p.work, 'status', '-p', p.project);
    expect(status.code, status.stdout).toBe(3);
    expect(status.stdout).toMatch(/In sync: +no/);
    expect(status.stdout).toMatch(/Container\/web .*berth does not own/);
  }, 120_000);

  it('under watch the rest converges around it; the foreign one is untouched', async () => {
    f = await watchFixture('blockedw');
    watchForeign = `${f.project}-web`;
    await docker('run', '-d', '--name', watchForeign, TEST_IMAGE, 'sleep', '3600');
    const before = await facts(watchForeign);
    await f.write('app.yaml', manifest);
    const watch = await f.startWatch();
    const other = () => stateOf(`${f!.project}-other`);
    expect(
      await eventually(async () => (await other()) === 'running', 60_000),
      watch.stderr(),
    ).toBe(true);
    expect(watch.stderr()).not.toMatch(/"object":"Container\/web","op"/);
    expect(await facts(watchForeign)).toBe(before);
  }, 120_000);
});
