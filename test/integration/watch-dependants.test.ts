import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { docker, freePort, uniqueProject } from '../support/docker.js';
import {
  containerYaml,
  eventually,
  tearDownWatch,
  spawnBerth,
  stateOf,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * Issue 11 F24 under `berth watch` on the real engine: a dependant whose dependency is down
 * waits without back-off and comes back as soon as the dependency does. Also F29 and F27:
 * watch's history counts creations, status is not in sync while a file is broken, and a
 * status against another engine never answers from this controller.
 */

const project = uniqueProject('wdep');
let dir: string;
let stateHome: string;
let watch: WatchProcess;
const engineName = (n: string) => `${project}-${n}`;
const env = () => ({ XDG_STATE_HOME: stateHome });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-wdep-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-wdep-state-'));
  await writeFile(
    join(dir, 'set.yaml'),
    containerYaml('app', '  restartPolicy: Never\n') +
      '---\n' +
      containerYaml('proxy', '  dependsOn: [{container: app}]\n'),
  );
  const port = await freePort();
  watch = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`], env());
  await waitForApi(watch);
  const up = await eventually(
    async () => (await stateOf(engineName('proxy'))) === 'running',
    60_000,
  );
  // The first batch has ended (its log lines are out): later lines are the test's own.
  const logged = await eventually(
    async () => reconciles('Container/proxy', 0).some((r) => r.outcome === 'converged'),
    10_000,
  );
  if (!up || !logged) throw new Error(`did not converge:\n${watch.stderr()}`);
}, 90_000);

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

/** The watch's `reconcile` log lines of `key` (pino JSON on stderr) from `offset` on. */
function reconciles(key: string, offset: number): { cause: string; outcome: string }[] {
  return watch
    .stderr()
    .slice(offset)
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; key?: string; cause: string; outcome: string })
    .filter((l) => l.msg === 'reconcile' && l.key === key);
}

describe('a dependant whose dependency is down, under berth watch', () => {
  it('earns no back-off and is created as soon as the dependency is back', async () => {
    const offset = watch.stderr().length;
    await docker('kill', engineName('app'));
    await docker('rm', '-f', engineName('proxy'));
    // Long enough for the old doubling back-off (0.5, 1, 2, 4 s…) to retry five times.
    await new Promise((r) => setTimeout(r, 8_000));
    expect(await stateOf(engineName('proxy'))).toBe('absent');
    const skipped = reconciles('Container/proxy', offset).filter((r) => r.outcome === 'skipped');
    // One look per engine event (its die, its destroy), not one per back-off slot.
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    expect(skipped.length).toBeLessThanOrEqual(3);
    expect(skipped.at(-1)?.cause).toBe('engine event: destroy');

    const restart = await berth(['restart', 'app', '-p', project], { env: env() });
    expect(restart.code).toBe(0);
    const back = await eventually(
      async () => (await stateOf(engineName('proxy'))) === 'running',
      3_000,
      50,
    );
    expect(back, watch.stderr().slice(offset)).toBe(true);
    // Its batch logs once it has ended, a moment after the container runs.
    const converged = () =>
      reconciles('Container/proxy', offset).filter((r) => r.outcome === 'converged');
    await eventually(async () => converged().length > 0, 5_000, 50);
    const ran = reconciles('Container/proxy', offset);
    const created = converged().at(-1);
    expect(created?.cause, JSON.stringify(ran)).toBe('Container/app is ready');
  }, 30_000);
});

describe('what the controller reports', () => {
  it("records its first apply's creations as creations in history", async () => {
    const history = await berth(['history', '-o', 'json', '-p', project], { env: env() });
    const entries = JSON.parse(history.stdout) as { counts: Record<string, number> }[];
    const first = entries.at(-1)!;
    // The two containers (and the project's default network) were created, nothing changed.
    expect(first.counts.created).toBeGreaterThanOrEqual(2);
    expect(first.counts.changed).toBe(0);
  });

  it('is not in sync while a file of the folder is broken, naming file:line:col', async () => {
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'apiVersion: berth/v1\nkind: Container\nmetadata: {name: [x\n');
    try {
      const status = await eventually(async () => {
        const s = await berth(['status', '-p', project], { env: env() });
        return s.code === 3 && s.stdout.includes(`${broken}:`);
      }, 10_000);
      expect(status).toBe(true);
      const text = (await berth(['status', '-p', project], { env: env() })).stdout;
      expect(text).toMatch(/^In sync: +no/m);
      expect(text).toMatch(/broken\.yaml:\d+:\d+:/);
    } finally {
      await rm(broken);
    }
    const fixed = await eventually(
      async () => (await berth(['status', '-p', project], { env: env() })).code === 0,
      10_000,
    );
    expect(fixed).toBe(true);
  }, 30_000);

  it('never answers a status asked of another engine', async () => {
    const other = await berth(
      ['status', '-p', project, '--engine', 'unix:///tmp/berth-nope.sock'],
      {
        env: env(),
      },
    );
    expect(other.code).toBe(4);
    expect(other.stderr).toMatch(/berth-nope\.sock/);
  });

  it('an apply against an unreachable engine leaves no state folder', async () => {
    const lost = uniqueProject('wdep-lost');
    const applied = await berth(['apply', '-f', dir, '-p', lost], {
      env: { ...env(), DOCKER_HOST: 'unix:///tmp/berth-nope.sock' },
    });
    expect(applied.code).toBe(4);
    expect(await readdir(join(stateHome, 'berth'))).not.toContain(lost);
  });
});
