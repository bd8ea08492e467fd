import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { docker, freePort, uniqueProject } from '../support/docker.js';
import { scriptYaml } from '../support/manifests.js';
import {
  eventually,
  spawnBerth,
  stateOf,
  tearDownWatch,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * FINDINGS F130: a healthy container paused while no controller ran reports `unhealthy` (its
 * probes failed against the frozen process). `berth watch` unpauses it at start-up and must
 * never restart it for that verdict: the pass after its own unpause used to judge the stale
 * observation (2 starts in 5 restarted it; the `unpause` event came before the stream).
 */

const project = uniqueProject('unpst');
let dir = '';
let stateHome = '';
let watch: WatchProcess | undefined;
const engineName = `${project}-h`;
const inspect = (format: string) => docker('inspect', '-f', format, engineName);

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

describe('a container paused while no controller ran', () => {
  it('is unpaused at start-up and never restarted for the health it had while paused', async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-unpst-'));
    stateHome = await mkdtemp(join(tmpdir(), 'berth-unpst-state-'));
    const env = { XDG_STATE_HOME: stateHome };
    await writeFile(
      join(dir, 'app.yaml'),
      scriptYaml(
        'h',
        "trap 'exit 0' TERM; touch /tmp/ok; while true; do sleep 1; done",
        '  healthcheck: {command: [CMD, test, -f, /tmp/ok], interval: 1s, timeout: 1s, retries: 2}\n',
      ),
    );
    const applied = await berth(['apply', '-f', dir, '-p', project, '--wait'], { env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    // Two tries: the race was lost about 2 times in 5.
    for (let round = 0; round < 2; round++) {
      await docker('pause', engineName);
      const stale = await eventually(
        async () => (await inspect('{{.State.Health.Status}}')) === 'unhealthy',
        30_000,
      );
      expect(stale, 'probes fail against the paused container').toBe(true);
      const before = await inspect('{{.State.StartedAt}}');
      const port = await freePort();
      watch = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`], env);
      await waitForApi(watch);
      expect(await eventually(async () => (await stateOf(engineName)) === 'running')).toBe(true);
      // Past the start-up passes and a fresh probe or two.
      await new Promise((r) => setTimeout(r, 6_000));
      expect(await inspect('{{.State.StartedAt}}'), watch.stderr()).toBe(before);
      expect(watch.stderr()).not.toMatch(/restarted: unhealthy/);
      watch.child.kill('SIGTERM');
      await watch.exited;
      watch = undefined;
    }
  }, 150_000);
});
