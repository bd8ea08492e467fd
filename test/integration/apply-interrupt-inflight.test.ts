import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker } from '../support/docker.js';
import { startHoldingProxy, type HoldingProxy } from '../support/holding-proxy.js';
import { sleeperYaml } from '../support/manifests.js';
import { cliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';
import { eventually, spawnBerth, stateOf } from './watch-support.js';

/**
 * F541 (F348 a): Ctrl-C while a start is in flight. A proxy in front of the engine holds the
 * apply's first start call until berth has taken the signal, then lets the engine do it: the
 * container runs, so the summary says it was done (create, start), history and status agree,
 * and nothing is logged as begun after the signal for a call that is never made (with
 * `--parallel 1` the other container's turn comes after the signal: neither created nor announced).
 */
const { work, stateHome, project, dir, cleanup } = cliProject(
  'intrfly',
  [sleeperYaml('cache'), sleeperYaml('db')].join('---\n'),
);
let proxy: HoldingProxy | undefined;

afterAll(async () => {
  await proxy?.close();
  await cleanup();
});

describe('Ctrl-C while a start call is in flight (F541)', () => {
  it('counts the sent start as done; summary, history and status agree with docker ps', async () => {
    proxy = await startHoldingProxy(join(work, 'engine.sock'), (r) =>
      /^POST (\/v[\d.]+)?\/containers\/[^/]+\/start$/.test(r),
    );
    const run = spawnBerth(['apply', '-f', dir, '-p', project, '--parallel', '1'], {
      XDG_STATE_HOME: stateHome,
      DOCKER_HOST: `unix://${proxy.socketPath}`,
    });
    const held = await proxy.reached;
    run.child.kill('SIGINT');
    const id = held.split('/').at(-2) ?? '';
    const name = (await docker('inspect', '-f', '{{.Name}}', id)).replace(/^\//, '');
    const [started, other] = name === `${project}-cache` ? ['cache', 'db'] : ['db', 'cache'];
    // The signal is taken (it says what it waits for) before the engine does the start.
    const taken = await eventually(async () => run.stderr().includes('interrupt (Ctrl-C)'), 20_000);
    expect(taken, run.stderr()).toBe(true);
    proxy.release();
    expect(await run.exited, run.stderr()).toBe(130);

    expect(await stateOf(`${project}-${started}`)).toBe('running');
    expect(await stateOf(`${project}-${other}`)).toBe('absent');
    const ps = await docker(
      'ps',
      '-a',
      '--filter',
      `label=berth.project=${project}`,
      '--format',
      '{{.Names}} {{.State}}',
    );
    expect(ps.split('\n').filter(Boolean)).toEqual([`${project}-${started} running`]);
    expect(run.stdout()).toMatch(/^interrupted: 2 of 3 objects done before Ctrl-C$/m);
    expect(run.stdout()).toContain(`Container/${started} (create, start)`);
    expect(run.stdout()).toMatch(
      new RegExp(`^ {2}skipped, its turn had not come: Container/${other}$`, 'm'),
    );

    // No step is logged after the signal whose call was never made (db's create, start).
    const afterSignal = run.stderr().slice(run.stderr().indexOf('interrupt (Ctrl-C)'));
    expect(afterSignal).not.toMatch(/"op":/);
    expect(afterSignal).not.toContain(`Container/${started} failed`);

    const history = await berth(stateHome, work, 'history', '-p', project, '-o', 'json');
    const items = JSON.parse(history.stdout) as { outcome: string; counts: { created: number } }[];
    expect(items.map((i) => i.outcome)).toEqual(['interrupted']);
    expect(items[0]?.counts.created).toBe(2);

    const status = await berth(stateHome, work, 'status', '-p', project, '-o', 'json');
    const objects = (JSON.parse(status.stdout) as { objects: { key: string; inSync: boolean }[] })
      .objects;
    expect(objects.find((o) => o.key === `Container/${started}`)?.inSync).toBe(true);
    expect(objects.find((o) => o.key === `Container/${other}`)?.inSync).toBe(false);
  });
});
