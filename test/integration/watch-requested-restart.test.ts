import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * F154: a restart asked for while `berth watch` owns the project (`berth restart`, the web
 * view's Restart) is not a crash: the controller does not restart the container itself
 * while the restart is under way, counts nothing towards CrashLoopBackOff, and a genuine
 * exit afterwards is restarted at once (it stayed down for the back-off before).
 */
const project = uniqueProject('wreq');
const engineName = `${project}-web`;
let dir: string;
let stateHome: string;
let watch: WatchProcess;
const env = () => ({ XDG_STATE_HOME: stateHome });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-wreq-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-wreq-state-'));
  // Stopping takes a moment (as a real server's does): the controller sees the kill, the exit.
  const script = "trap 'sleep 0.5; exit 0' TERM; sleep 3600 & wait";
  await writeFile(join(dir, 'web.yaml'), scriptYaml('web', script, '  stopGracePeriod: 5s\n'));
  const listen = `127.0.0.1:${await freePort()}`;
  const args = ['watch', dir, '-p', project, '--listen', listen, '--ui-actions', '--resync', '60s'];
  watch = spawnBerth(args, env());
  await waitForApi(watch);
  if (!(await eventually(async () => (await stateOf(engineName)) === 'running', 60_000)))
    throw new Error(watch.stderr());
}, 90_000);

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

/** Lines the controller logged about berth restarting web itself, or backing it off. */
const crashLines = () =>
  watch
    .stderr()
    .split('\n')
    .filter((l) => /restarted: exit|crash loop: restart backed off/.test(l));

describe('a requested restart under berth watch', () => {
  it('berth restart and the Restart action are not taken as crashes; a real exit is restarted at once', async () => {
    for (let i = 0; i < 3; i++) {
      const restarted = await berth(['restart', '-p', project, 'web'], { env: env() });
      expect(restarted.stdout).toMatch(/Container\/web: restarted/);
      expect(restarted.stderr).toMatch(/restarting through berth watch pid \d+/);
      expect(restarted.code).toBe(0);
    }
    // The web view's Restart, as the page sends it.
    const page = await fetch(`${watch.api}/`).then((r) => r.text());
    const csrf = /name="berth-csrf" content="([^"]+)"/.exec(page)![1]!;
    const ui = await fetch(`${watch.api}/api/v1/actions/restart`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Berth-CSRF': csrf },
      body: JSON.stringify({ target: 'Container/web' }),
    });
    expect(await ui.text()).toMatch(/"ok":true/);
    // Give late events of those restarts time to be worked off.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(crashLines()).toEqual([]);
    // Not crashes, but counted: three berth restarts and the page's one (F468).
    const get = await berth(['get', 'container/web', '-o', 'json', '-p', project], { env: env() });
    expect(get.stdout).toMatch(/"restarts": 4\b/);

    await docker('stop', '-t', '1', engineName);
    const stoppedAt = Date.now();
    const back = await eventually(async () => (await stateOf(engineName)) === 'running', 20_000);
    expect(back, watch.stderr()).toBe(true);
    // The first real exit is repaired at once, not after a 10 s+ back-off.
    expect(Date.now() - stoppedAt).toBeLessThan(8_000);
    expect(crashLines().filter((l) => /backed off/.test(l))).toEqual([]);
  }, 90_000);
});
