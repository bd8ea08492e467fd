import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanupProject,
  docker,
  engineAvailable,
  freePort,
  uniqueProject,
} from '../support/docker.js';
import { engineProcessEnv } from '../support/engine.js';
import {
  containerYaml,
  eventually,
  spawnBerth,
  stateOf,
  waitForApi,
  type WatchProcess,
} from '../integration/watch-support.js';

/**
 * The engine restarted under a running controller (`dockerd` stopped and started again with
 * the same command line): the controller reconnects, resyncs and converges. This stops the
 * engine for every test, so it runs in its own project group, after all others.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-chaos-'));
const project = uniqueProject('chaos');
let watch: WatchProcess | undefined;

afterAll(async () => {
  watch?.child.kill('SIGTERM');
  await watch?.exited;
  await eventually(async () => engineAvailable(), 60_000, 500);
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

function restartEngine(): void {
  const pid = execFileSync('pidof', ['dockerd']).toString().trim().split(' ')[0] as string;
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  process.kill(Number(pid), 'SIGTERM');
  for (let i = 0; i < 300; i++) {
    try {
      process.kill(Number(pid), 0);
      execFileSync('sleep', ['0.1']);
    } catch {
      break;
    }
  }
  // From `/`, not this test's folder: the engine runs git (BuildKit's git sources) in its own
  // working directory, and a later run that deletes this checkout left every git build failing
  // with "unable to get current working directory".
  const child = spawn(cmdline[0] as string, cmdline.slice(1), {
    cwd: '/',
    env: engineProcessEnv(),
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}

describe('the engine restarted under berth watch', () => {
  it('reconnects, resyncs and converges; drift after the restart is repaired', async () => {
    writeFileSync(join(work, 'app.yaml'), containerYaml('web'));
    const port = await freePort();
    watch = spawnBerth(
      ['watch', work, '-p', project, '--listen', `127.0.0.1:${port}`, '--resync', '60s'],
      {
        XDG_STATE_HOME: join(work, 'state'),
      },
    );
    await waitForApi(watch);
    expect(
      await eventually(async () => (await stateOf(`${project}-web`)) === 'running', 30_000),
    ).toBe(true);

    restartEngine();
    expect(await eventually(async () => engineAvailable(), 60_000, 250)).toBe(true);
    expect(
      await eventually(async () => (await stateOf(`${project}-web`)) === 'running', 60_000),
      watch.stderr(),
    ).toBe(true);

    // Repaired from an event: the event stream is live again.
    await docker('stop', '-t', '1', `${project}-web`);
    expect(
      await eventually(async () => (await stateOf(`${project}-web`)) === 'running', 20_000),
      watch.stderr(),
    ).toBe(true);
    const metrics = await (await fetch(`${watch.api}/metrics`)).text();
    const reconnects = Number(
      /^berth_engine_reconnects_total(?:\{[^}]*\})? (\d+)/m.exec(metrics)?.[1] ?? 0,
    );
    expect(reconnects).toBeGreaterThanOrEqual(1);
  });
});
