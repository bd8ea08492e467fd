import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStatus, ProjectStatus } from '../../controller/status/status-types.js';
import { scriptYaml } from '../support/manifests.js';
import { eventually } from './watch-support.js';
import { watchFixture, type WatchFixture } from './watch-fixture.js';

/**
 * F620: under `berth watch`, a container waiting out a back-off after failing its healthcheck
 * showed reason BackOff but not what the probe said; DESIGN.md ("Readiness, restarts and
 * back-off") asks for the health probe's last output with `CrashLoopBackOff`, `Unhealthy` or
 * `BackOff`, in status, `get -o json` and the status API.
 */
let f: WatchFixture;
const PROBE_SAYS = /exit code 1: probe-says: cache unreachable/;
const probe = '[CMD-SHELL, "echo probe-says: cache unreachable; exit 1"]';

const apiStatus = async (): Promise<ProjectStatus> =>
  (await (await fetch(`${f.watch!.api}/api/v1/status`)).json()) as ProjectStatus;
const sickOf = (s: ProjectStatus) =>
  s.objects.find((o) => o.key === 'Container/sick') as ObjectStatus & Record<string, unknown>;
/** Every place one object's status says why it is not ready. */
const said = (o: ObjectStatus) => [
  o.reason ?? '',
  ...o.conditions.filter((c) => c.status !== 'False' || c.type === 'Ready').map((c) => c.message),
];
const whyOf = (o: ObjectStatus) => JSON.stringify({ reason: o.reason, conditions: o.conditions });

beforeAll(async () => {
  f = await watchFixture('bkprobe');
  const loop = "trap 'exit 0' TERM; while true; do sleep 1; done";
  await f.write(
    'sick.yaml',
    scriptYaml('sick', loop, `  healthcheck: {command: ${probe}, interval: 1s, retries: 1}\n`),
  );
  await f.startWatch();
}, 60_000);

afterAll(() => f?.tearDown());

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
    expect(backingOff, `${seen ? whyOf(seen) : ''}\n${f.watch!.stderr()}`).toBe(true);
    expect(
      said(seen!).some((m) => PROBE_SAYS.test(m)),
      whyOf(seen!),
    ).toBe(true);
    expect(seen!.reason, whyOf(seen!)).toMatch(PROBE_SAYS);

    // The CLI asks the running controller.
    const status = await f.run(['status', '-o', 'json']);
    expect(status.code).toBe(3);
    const viaCli = sickOf(JSON.parse(status.stdout) as ProjectStatus);
    expect(viaCli.reason, whyOf(viaCli)).toMatch(PROBE_SAYS);
    const table = await f.run(['status']);
    expect(table.stdout).toMatch(PROBE_SAYS);
    const got = await f.run(['get', 'Container/sick', '-o', 'json']);
    expect(got.stdout).toMatch(PROBE_SAYS);
  }, 90_000);

  it('status without a running watch says it too', async () => {
    await f.stopWatch();
    // Nobody restarts it now: it stays running, unhealthy.
    const status = await f.run(['status', '-o', 'json']);
    expect(status.code).toBe(3);
    const sick = sickOf(JSON.parse(status.stdout) as ProjectStatus);
    expect(sick.reason, whyOf(sick)).toMatch(PROBE_SAYS);
  }, 60_000);
});
