import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStatus, ProjectStatus } from '../../controller/status/status-types.js';
import { berth } from '../support/cli.js';
import { freePort, uniqueProject } from '../support/docker.js';
import { scriptYaml } from '../support/manifests.js';
import {
  eventually,
  spawnBerth,
  tearDownWatch,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * F620: under `berth watch`, a container waiting out a back-off after failing its healthcheck
 * showed reason BackOff but not what the probe said; DESIGN.md ("Readiness, restarts and
 * back-off") asks for the health probe's last output with `CrashLoopBackOff`, `Unhealthy` or
 * `BackOff`, in status, `get -o json` and the status API.
 */
const project = uniqueProject('bkprobe');
let dir: string;
let stateHome: string;
let watch: WatchProcess | undefined;
const env = () => ({ XDG_STATE_HOME: stateHome });
const PROBE_SAYS = /exit code 1: probe-says: cache unreachable/;
const probe = '[CMD-SHELL, "echo probe-says: cache unreachable; exit 1"]';

const apiStatus = async (): Promise<ProjectStatus> =>
  (await (await fetch(`${watch!.api}/api/v1/status`)).json()) as ProjectStatus;
const sickOf = (s: ProjectStatus) =>
  s.objects.find((o) => o.key === 'Container/sick') as ObjectStatus & Record<string, unknown>;
/** Every place one object's status says why it is not ready. */
const said = (o: ObjectStatus) => [
  o.reason ?? '',
  ...o.conditions.filter((c) => c.status !== 'False' || c.type === 'Ready').map((c) => c.message),
];
const whyOf = (o: ObjectStatus) => JSON.stringify({ reason: o.reason, conditions: o.conditions });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-bkprobe-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-bkprobe-state-'));
  const loop = "trap 'exit 0' TERM; while true; do sleep 1; done";
  await writeFile(
    join(dir, 'sick.yaml'),
    scriptYaml('sick', loop, `  healthcheck: {command: ${probe}, interval: 1s, retries: 1}\n`),
  );
  const port = await freePort();
  watch = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`], env());
  await waitForApi(watch);
}, 60_000);

afterAll(() => tearDownWatch(watch, project, dir, stateHome));

describe('a container waiting out a back-off after failing its healthcheck', () => {
  it('says BackOff and what the probe printed: API, status, get -o json', async () => {
    // The first restart is at once; the second unhealthy verdict waits 10 s: BackOff.
    let seen: ObjectStatus | undefined;
    const backingOff = await eventually(
      async () => {
        seen = sickOf(await apiStatus());
        return seen.conditions.some((c) => c.reason === 'BackOff');
      },
      60_000,
      200,
    );
    expect(backingOff, `${seen ? whyOf(seen) : ''}\n${watch!.stderr()}`).toBe(true);
    expect(
      said(seen!).some((m) => PROBE_SAYS.test(m)),
      whyOf(seen!),
    ).toBe(true);
    expect(seen!.reason, whyOf(seen!)).toMatch(PROBE_SAYS);

    // The CLI asks the running controller.
    const status = await berth(['status', '-p', project, '-o', 'json'], { env: env() });
    expect(status.code).toBe(3);
    const viaCli = sickOf(JSON.parse(status.stdout) as ProjectStatus);
    expect(viaCli.reason, whyOf(viaCli)).toMatch(PROBE_SAYS);
    const table = await berth(['status', '-p', project], { env: env() });
    expect(table.stdout).toMatch(PROBE_SAYS);
    const got = await berth(['get', 'Container/sick', '-p', project, '-o', 'json'], { env: env() });
    expect(got.stdout).toMatch(PROBE_SAYS);
  }, 90_000);

  it('status without a running watch says it too', async () => {
    watch!.child.kill('SIGTERM');
    await watch!.exited;
    watch = undefined;
    // Nobody restarts it now: it stays running, unhealthy.
    const status = await berth(['status', '-p', project, '-o', 'json'], { env: env() });
    expect(status.code).toBe(3);
    const sick = sickOf(JSON.parse(status.stdout) as ProjectStatus);
    expect(sick.reason, whyOf(sick)).toMatch(PROBE_SAYS);
  }, 60_000);
});
