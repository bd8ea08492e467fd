import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, freePort, uniqueProject } from '../support/docker.js';
import {
  containerYaml,
  eventually,
  spawnBerth,
  stateOf,
  tearDownWatch,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * F117: a file broken while no controller runs. DESIGN.md: the objects of a file that is
 * broken right now keep their last good spec until it is fixed. After a restart of `berth
 * watch` they read as "not declared any more", were not repaired, and dropped out of the
 * last-applied set (so a later `down` would leave them behind).
 */
const project = uniqueProject('wrb');
let dir: string;
let stateHome: string;
let watch: WatchProcess | undefined;
const env = () => ({ XDG_STATE_HOME: stateHome });
const start = async () => {
  const w = spawnBerth(
    ['watch', dir, '-p', project, '--listen', `127.0.0.1:${await freePort()}`, '--resync', '1s'],
    env(),
  );
  await waitForApi(w);
  return w;
};

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

describe('berth watch restarted while a file is broken (F117)', () => {
  it('keeps that file’s objects as last applied: declared, repaired, still on record', async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-wrb-'));
    stateHome = await mkdtemp(join(tmpdir(), 'berth-wrb-state-'));
    await writeFile(join(dir, 'client.yaml'), containerYaml('client'));
    await writeFile(join(dir, 'extra.yaml'), containerYaml('extra', '  env: {MODE: one}\n'));
    watch = await start();
    const running = (name: string) => async () =>
      (await stateOf(`${project}-${name}`).catch(() => '')) === 'running';
    expect(await eventually(running('client'), 60_000), watch.stderr()).toBe(true);
    expect(await eventually(running('extra'), 60_000)).toBe(true);
    watch.child.kill('SIGTERM');
    expect(await watch.exited).toBe(0);

    await writeFile(join(dir, 'client.yaml'), 'kind: [\n');
    watch = await start();
    const status = async () =>
      (await (await fetch(`${watch!.api}/api/v1/status`)).json()) as {
        objects: { key: string; declared: boolean }[];
      };
    const client = async () => (await status()).objects.find((o) => o.key === 'Container/client');
    expect(await eventually(async () => (await client())?.declared === true, 30_000)).toBe(true);
    // Drift of that file's container is repaired from its last good spec.
    await docker('stop', '-t', '1', `${project}-client`);
    expect(await eventually(running('client'), 30_000), watch.stderr()).toBe(true);
    // A good change elsewhere is applied, and the record still holds the broken file's object.
    await writeFile(join(dir, 'extra.yaml'), containerYaml('extra', '  env: {MODE: two}\n'));
    const lastApplied = join(stateHome, 'berth', project, 'last-applied.json');
    const recorded = async () => {
      const text = await readFile(lastApplied, 'utf8');
      return text.includes('"two"') && text.includes('"client"');
    };
    expect(await eventually(recorded, 60_000), watch.stderr()).toBe(true);
  });
});
