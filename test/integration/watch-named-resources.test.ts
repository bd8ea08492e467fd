import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, freePort, uniqueProject } from '../support/docker.js';
import {
  containerYaml,
  eventually,
  networksOf,
  spawnBerth,
  stateOf,
  tearDownWatch,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * F172: a network or volume with an engine name of its own (`spec.name`, F134) removed by hand
 * is repaired by `berth watch` from its engine events, as `<project>-net` is — not only at the
 * next periodic resync (10 minutes here, so only the events can do it in time).
 */

const project = uniqueProject('wnamed');
const netName = `${project}_public`;
const volName = `${project}.media`;
const web = `${project}-web`;
let dir: string | undefined;
let watch: WatchProcess | undefined;

const manifest = `apiVersion: berth/v1
kind: Network
metadata: {name: public}
spec: {name: ${netName}}
---
apiVersion: berth/v1
kind: Volume
metadata: {name: media}
spec: {name: ${volName}, retain: false}
---
${containerYaml('web', '  networks: [public]\n')}`;

const idOf = (what: 'network' | 'volume', name: string) =>
  docker(what, 'inspect', '-f', what === 'network' ? '{{.Id}}' : '{{.CreatedAt}}', name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-wnamed-'));
  await writeFile(join(dir, 'app.yaml'), manifest);
  const listen = `127.0.0.1:${await freePort()}`;
  watch = spawnBerth(['watch', dir, '-p', project, '--listen', listen, '--resync', '10m'], {
    XDG_STATE_HOME: join(dir, '.state'),
  });
  await waitForApi(watch);
  const up = await eventually(
    async () =>
      (await stateOf(web)) === 'running' &&
      (await networksOf(web)).includes(netName) &&
      (await idOf('volume', volName).then(Boolean)),
    60_000,
  );
  if (!up) throw new Error(`did not converge:\n${watch.stderr()}`);
}, 90_000);

afterAll(async () => {
  await tearDownWatch(watch, project, dir);
  await docker('volume', 'rm', '-f', volName).catch(() => undefined);
}, 60_000);

describe('berth watch repairs networks and volumes named by spec.name (F172)', () => {
  it('re-creates a spec.name network removed by hand and reconnects its container', async () => {
    const before = await idOf('network', netName);
    // The controller reconnects a disconnected container within ~50 ms: freeze it (SIGSTOP)
    // while the network is taken away by hand, so the removal cannot lose that race.
    watch!.child.kill('SIGSTOP');
    try {
      await docker('network', 'disconnect', '-f', netName, web);
      await docker('network', 'rm', netName);
    } finally {
      watch!.child.kill('SIGCONT');
    }
    const healed = await eventually(async () => {
      const id = await idOf('network', netName).catch(() => before);
      return id !== before && (await networksOf(web)).includes(netName);
    }, 8_000);
    expect(healed, watch!.stderr().slice(-3000)).toBe(true);
  });

  it('re-creates a spec.name volume removed by hand', async () => {
    await docker('volume', 'rm', volName);
    const back = await eventually(() => idOf('volume', volName).then(Boolean), 8_000);
    expect(back, watch!.stderr().slice(-3000)).toBe(true);
  });
});
