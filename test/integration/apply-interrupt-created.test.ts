import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHoldingProxy, type HoldingProxy } from '../support/holding-proxy.js';
import { sleeperYaml } from '../support/manifests.js';
import { cliProject, type CliProject } from './cli-project-support.js';
import { eventually, spawnBerth, stateOf } from './watch-support.js';

/**
 * F641, F643: Ctrl-C while a container's create call is in flight. A proxy in front of the
 * engine holds the apply's first create until berth has taken the signal, then lets the engine
 * make it; its start is never sent. The container is on the engine, created and not started:
 * the summary must say so, not list it with the untouched one, and `-o json` must carry, per
 * object, where the interrupt left it (done, created-not-started, skipped).
 */
const projects: CliProject[] = [];
const proxies: HoldingProxy[] = [];

afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  for (const p of projects) await p.cleanup();
});

/** Runs an apply (`--parallel 1`: cache first, db after), Ctrl-C while cache's create is held. */
async function interruptedAtCreate(prefix: string, output: string[]) {
  const p = cliProject(
    prefix,
    [sleeperYaml('cache'), sleeperYaml('db', '  dependsOn: [{container: cache}]\n')].join('---\n'),
  );
  projects.push(p);
  const proxy = await startHoldingProxy(join(p.work, 'engine.sock'), (r) =>
    /^POST (\/v[\d.]+)?\/containers\/create/.test(r),
  );
  proxies.push(proxy);
  const run = spawnBerth(['apply', '-f', p.dir, '-p', p.project, '--parallel', '1', ...output], {
    XDG_STATE_HOME: p.stateHome,
    DOCKER_HOST: `unix://${proxy.socketPath}`,
  });
  await proxy.reached;
  run.child.kill('SIGINT');
  const taken = await eventually(async () => run.stderr().includes('interrupt (Ctrl-C)'), 20_000);
  expect(taken, run.stderr()).toBe(true);
  proxy.release();
  expect(await run.exited, run.stderr()).toBe(130);
  expect(await stateOf(`${p.project}-cache`)).toBe('created');
  expect(await stateOf(`${p.project}-db`)).toBe('absent');
  return run.stdout();
}

describe('Ctrl-C while a create call is in flight (F641, F643)', () => {
  it('the summary tells the container created and not started from the one never reached', async () => {
    const text = await interruptedAtCreate('intrmade', []);
    expect(text).toMatch(/^interrupted: 1 of 3 objects done before Ctrl-C$/m);
    expect(text).toMatch(/^ {2}done: Network\/default \(create\)$/m);
    expect(text).toMatch(/^ {2}created, not started: Container\/cache \(create\)$/m);
    expect(text).toMatch(/^ {2}skipped, its turn had not come: Container\/db$/m);
  });

  it('-o json says the same per object', async () => {
    const document = JSON.parse(await interruptedAtCreate('intrmadej', ['-o', 'json'])) as Record<
      string,
      unknown
    >;
    expect(document).toMatchObject({
      ok: false,
      interrupted: 'SIGINT',
      notDone: ['Container/cache', 'Container/db'],
      abandoned: [],
      objects: [
        { key: 'Network/default', state: 'done', ops: ['create'] },
        { key: 'Container/cache', state: 'created-not-started', ops: ['create'] },
        { key: 'Container/db', state: 'skipped', ops: [] },
      ],
    });
  });
});
