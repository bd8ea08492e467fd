import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envValue, freePort, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import {
  eventually,
  spawnBerth,
  tearDownWatch,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * F291: `berth watch` dropped the desired set's warnings (F188: an env file's unset `${VAR}`
 * is left blank with a warning, which apply/plan/validate print). The controller logs them
 * once per change of the set, and its status API carries them in the notice; the event
 * stream's `desired` event lists them, `[]` once they have cleared.
 */
const project = uniqueProject('wwarn');
const UNSET = 'BERTH_F291_NEVER_SET';
let dir: string;
let stateHome: string;
let watch: WatchProcess;

const notice = async () =>
  ((await (await fetch(`${watch.api}/api/v1/status`)).json()) as { notice: string | null }).notice;
const logged = () => watch.stderr().split('manifests have warnings').length - 1;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-wwarn-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-wwarn-state-'));
  await writeFile(join(dir, 'app.yaml'), sleeperYaml('app', '  envFiles: [./app.env]\n'));
  await writeFile(join(dir, 'app.env'), `URL=left\${${UNSET}}right\n`);
  const listen = `127.0.0.1:${await freePort()}`;
  watch = spawnBerth(['watch', dir, '-p', project, '--listen', listen, '--resync', '1s'], {
    XDG_STATE_HOME: stateHome,
  });
  await waitForApi(watch);
}, 60_000);

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

describe("berth watch says the set's warnings (F291)", () => {
  it('logs them once per change of the set and shows them in the status notice until fixed', async () => {
    const blank = async () => (await envValue(`${project}-app`, 'URL')) === 'leftright';
    expect(await eventually(blank, 60_000), watch.stderr()).toBe(true);
    const warning = new RegExp(
      `app\\.yaml:\\d+:\\d+: warning: Container "app": spec\\.envFiles\\[0\\] \\S*app\\.env:1:\\d+: variable ${UNSET} is not set`,
    );
    expect(await notice()).toMatch(new RegExp(`^warnings in the manifests: \\S*${warning.source}`));
    // Resyncs every second read the folder again: the warning is not said again.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(logged(), watch.stderr()).toBe(1);
    expect(watch.stderr()).toContain(`variable ${UNSET} is not set`);

    const stream = new AbortController();
    const response = await fetch(`${watch.api}/api/v1/events`, { signal: stream.signal });
    const reader = response.body!.getReader();
    await writeFile(join(dir, 'app.env'), 'URL=leftmeright\n');
    let text = '';
    const deadline = Date.now() + 30_000;
    while (!/event: desired\ndata: .*"warnings":\[\]/.test(text) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    stream.abort();
    expect(text).toMatch(/event: desired\ndata: .*"changed":\["Container\/app"\].*"warnings":\[\]/);
    const fixed = async () => (await envValue(`${project}-app`, 'URL')) === 'leftmeright';
    expect(await eventually(fixed, 60_000), watch.stderr()).toBe(true);
    expect(await notice()).toBeNull();
    expect(logged()).toBe(1);
  }, 120_000);
});
