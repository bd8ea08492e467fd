import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import {
  docker,
  envValue,
  freePort,
  projectContainerNames,
  uniqueProject,
} from '../support/docker.js';
import { countedWebYaml, replicaWebYaml } from '../support/manifests.js';
import {
  tearDownWatch,
  eventually,
  spawnBerth,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * Issue 14 under `berth watch`: `replicas > 1` with `onFailure: rollback` — when replica k of
 * a folder edit fails its gate, the replicas the controller already replaced go back to the
 * previous spec, as `apply` does (the same take-back, executor/replica-takeback.ts).
 */

const project = uniqueProject('wupr');
const state = mkdtempSync(join(tmpdir(), 'berth-wupr-state-'));
const dir = mkdtempSync(join(tmpdir(), 'berth-wupr-'));
const env = { XDG_STATE_HOME: state };
const replicas = ['web-1', 'web-2', 'web-3'];
let watch: WatchProcess;

const modeOf = (r: string) => envValue(`${project}-${r}`, 'MODE').catch(() => undefined);
const healthOf = (r: string) =>
  docker('inspect', '-f', '{{.State.Health.Status}}', `${project}-${r}`).catch(() => '');
const history = async () =>
  JSON.parse((await berth(['history', '-p', project, '-o', 'json'], { env })).stdout) as {
    outcome: string;
  }[];
/** Every replica runs MODE=`mode` and is healthy. */
const allOn = async (mode: string) => {
  for (const r of replicas) {
    if ((await modeOf(r)) !== mode) return false;
    if ((await healthOf(r)) !== 'healthy') return false;
  }
  return true;
};

beforeAll(async () => {
  writeFileSync(join(dir, 'web.yaml'), replicaWebYaml('one'));
  watch = spawnBerth(
    ['watch', dir, '-p', project, '--listen', `127.0.0.1:${await freePort()}`],
    env,
  );
  await waitForApi(watch);
}, 60_000);

afterAll(() => tearDownWatch(watch, project, state, dir));

describe('berth watch: replica take-back (issue 14)', () => {
  it('replica 3 failing its gate after a folder edit takes replicas 1 and 2 back to the previous spec', async () => {
    // The first revision converged and is in history: the spec to go back to.
    const first = await eventually(
      async () => (await history())[0]?.outcome === 'converged' && (await allOn('one')),
      90_000,
      500,
    );
    expect(first, watch.stderr()).toBe(true);

    // The edit: replicas 1 and 2 pass their gates on the new spec, replica 3 fails its own.
    writeFileSync(join(dir, 'web.yaml'), countedWebYaml('two'));
    const failed = await eventually(
      async () => /web-3.*update rolled back/.test(watch.stderr()),
      120_000,
      500,
    );
    expect(failed, watch.stderr()).toBe(true);
    const back =
      /Container\/web-[12].*the update of Container\/web-3 failed its gate; back on the previous spec/;
    expect(
      await eventually(async () => back.test(watch.stderr()), 60_000, 500),
      watch.stderr(),
    ).toBe(true);
    // Every replica runs the previous spec again, healthy, under its own name. (The controller
    // retries the revision with back-off; its new containers now fail at replica 1, so the
    // replicas stay on MODE=one.)
    expect(await eventually(() => allOn('one'), 60_000, 500), watch.stderr()).toBe(true);
    const names = (await projectContainerNames(project)).filter((n) => !n.endsWith('-next'));
    expect(names).toEqual(replicas.map((r) => `${project}-${r}`));
  }, 300_000);
});
