import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { docker, envValue, freePort, uniqueProject } from '../support/docker.js';
import { scriptYaml } from '../support/manifests.js';
import {
  eventually,
  spawnBerth,
  tearDownWatch,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * F113: under watch, an update whose new version fails its health gate was rolled back on the
 * engine and then tried again and again (each try of a stop-first update stopping the healthy
 * container), even under `berth hold`. DESIGN.md "Updates and rollback": in watch, a rollback
 * holds the project at that apply until a new source revision (or release) arrives. The
 * container publishes a host port, so the update is stop-first: every retry would show as a
 * new start of the running container.
 */
const project = uniqueProject('wfail');
let dir: string;
let stateHome: string;
let port: number;
let watch: WatchProcess;
const env = () => ({ XDG_STATE_HOME: stateHome });
const name = `${project}-web`;

/** httpd serving MODE at /index.html; healthy when `check` is served. */
const write = (mode: string, check: string) =>
  writeFile(
    join(dir, 'web.yaml'),
    scriptYaml(
      'web',
      'mkdir -p /www && echo $MODE > /www/index.html && exec httpd -f -p 8080 -h /www',
      `  init: true
  stopGracePeriod: 1s
  env: {MODE: ${mode}}
  ports: ["127.0.0.1:${port}:8080"]
  healthcheck: {command: [CMD, wget, -q, -O, /dev/null, "http://127.0.0.1:8080/${check}"], interval: 1s, timeout: 2s, retries: 2}
`,
    ),
  );
const started = async () =>
  (await docker('inspect', '-f', '{{.Id}} {{.State.StartedAt}}', name)).trim();
const notice = async () =>
  ((await (await fetch(`${watch.api}/api/v1/status`)).json()) as { notice: string | null }).notice;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-wfail-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-wfail-state-'));
  port = await freePort();
  await write('one', 'index.html');
  watch = spawnBerth(
    ['watch', dir, '-p', project, '--listen', `127.0.0.1:${await freePort()}`, '--resync', '1s'],
    env(),
  );
  await waitForApi(watch);
  const healthy = async () =>
    (await docker('inspect', '-f', '{{.State.Health.Status}}', name).catch(() => '')).trim() ===
    'healthy';
  if (!(await eventually(healthy, 60_000))) throw new Error(watch.stderr());
  // The first revision's apply is on record once the controller has worked it off.
  const recorded = async () =>
    (await berth(['history', '-p', project, '-o', 'json'], { env: env() })).stdout.includes(
      'converged',
    );
  if (!(await eventually(recorded, 30_000))) throw new Error(watch.stderr());
}, 120_000);

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

describe('a failed update under watch (F113)', () => {
  it('is rolled back once, then held: the running container is not stopped again', async () => {
    const before = await started();
    await write('two', 'missing.html');
    // The gate fails, the old container is renamed back and started: then the project is held.
    const held = async () => /update of Container\/web failed/.test((await notice()) ?? '');
    expect(await eventually(held, 60_000), watch.stderr()).toBe(true);
    // The engine still holds the failed container's port for a moment; the old one settles.
    const serving = async () =>
      (await docker('inspect', '-f', '{{.State.Health.Status}}', name).catch(() => '')).trim() ===
      'healthy';
    expect(await eventually(serving, 30_000)).toBe(true);
    const after = await started();
    expect(after.split(' ')[0], watch.stderr()).toBe(before.split(' ')[0]);
    expect(await envValue(name, 'MODE')).toBe('one');
    // Resyncs every second re-read the folder: the same revision is not tried again (the bug
    // retried within seconds, with a back-off from 1 s).
    await new Promise((r) => setTimeout(r, 10_000));
    expect(await started(), watch.stderr()).toBe(after);
    expect(await notice()).toMatch(/^Held since /);
    // F162: why it failed is in the notice and in the object's reason, not only in the log.
    expect(await notice()).toMatch(
      /update of Container\/web failed \(.*(unhealthy|not healthy).*\)/,
    );
    const row = (await (await fetch(`${watch.api}/api/v1/objects/Container/web`)).json()) as {
      reason: string;
    };
    expect(row.reason).toMatch(
      /^Held: update of Container\/web failed \(.*(unhealthy|not healthy)/,
    );
    // F151: the rollback is on record as what it is, a set that ran (converged): the failure
    // belongs to the failing revision's entry, not to the rollback's.
    const history = JSON.parse(
      (await berth(['history', '-p', project, '-o', 'json'], { env: env() })).stdout,
    ) as { outcome: string; message?: string }[];
    const rollback = history.find((e) => /failed \(.*\): rolled back to/.test(e.message ?? ''));
    expect(rollback?.outcome, JSON.stringify(history)).toBe('converged');
    expect(
      history.some((e) => e.outcome === 'failed'),
      JSON.stringify(history),
    ).toBe(true);
    // A new revision ends the hold and is applied.
    await write('three', 'index.html');
    expect(await eventually(async () => (await envValue(name, 'MODE')) === 'three', 60_000)).toBe(
      true,
    );
    expect(await eventually(async () => (await notice()) === null, 30_000)).toBe(true);
  });
});
