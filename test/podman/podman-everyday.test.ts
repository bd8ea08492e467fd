import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { uniqueProject } from '../support/docker.js';
import { PODMAN_START_TIMEOUT, startPodman, type PodmanService } from '../support/podman.js';

/**
 * Everyday use on a real Podman service, as a new user would try it: a network, a bind
 * mount and two containers that talk by name, one waiting for the other to be healthy
 * (Podman runs no healthcheck without systemd: the adapter runs due ones through Podman's
 * healthcheck endpoint); apply, status, logs, exec, then delete leaves nothing.
 */

const MANIFEST = `apiVersion: berth/v1
kind: Network
metadata: {name: backend}
spec: {driver: bridge}
---
apiVersion: berth/v1
kind: BindMount
metadata: {name: site}
spec: {hostPath: ./site, type: Directory}
---
apiVersion: berth/v1
kind: Container
metadata: {name: server}
spec:
  image: localhost/berth-busybox:1
  networks: [{network: backend, aliases: [www]}]
  mounts: [{bindMount: site, target: /www, readOnly: true}]
  command: [httpd, -f, -p, '8080', -h, /www]
  healthcheck:
    command: [CMD, wget, -q, -O, /dev/null, 'http://127.0.0.1:8080/']
    interval: 1s
    timeout: 2s
    retries: 5
---
apiVersion: berth/v1
kind: Container
metadata: {name: client}
spec:
  image: localhost/berth-busybox:1
  init: true
  networks: [backend]
  dependsOn: [{container: server, condition: healthy}]
  command: [/bin/sh, -c]
  args: ["trap 'exit 0' TERM; while true; do wget -q -O - http://www:8080/ && sleep 1 || sleep 0.3; done"]
`;

let service: PodmanService;
const state = mkdtempSync(join(tmpdir(), 'berth-state-'));
const dir = mkdtempSync(join(tmpdir(), 'berth-pm-day-'));
const project = uniqueProject('pm-day');

beforeAll(async () => {
  service = await startPodman();
  mkdirSync(join(dir, 'site'));
  writeFileSync(join(dir, 'site', 'index.html'), 'hello over podman\n');
  writeFileSync(join(dir, 'app.yaml'), MANIFEST);
}, PODMAN_START_TIMEOUT);
afterAll(async () => {
  await service?.stop();
  rmSync(state, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  rmSync(healthDir, { recursive: true, force: true });
});

const run = (verb: string, ...args: string[]) =>
  berth([verb, '-p', project, ...args], {
    cwd: dir,
    env: { XDG_STATE_HOME: state, ...service.env },
  });

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('everyday use on Podman', () => {
  it('applies, shows status and logs, execs by declared name, and deletes everything', async () => {
    const apply = await run('apply', '-f', '.');
    expect(apply.stderr + apply.stdout).toMatch(/converged \(3 created/);
    expect(apply.code).toBe(0);
    const health = await service.podman(
      'inspect',
      '-f',
      '{{.State.Health.Status}}',
      `${project}-server`,
    );
    expect(health).toBe('healthy');

    const status = await run('status');
    expect(status.stdout).toMatch(/In sync:\s+yes/);
    expect(status.stdout).toMatch(/Container\/client\s+running\s+running\s+yes/);
    expect(status.code).toBe(0);

    // The client reaches the server through the network by its alias, serving the bind mount.
    await eventually(
      async () => (await run('logs', 'client')).stdout.includes('client | hello over podman'),
      'the client to log the page',
    );
    const exec = await run('exec', 'server', '--', 'wget', '-qO-', 'http://www:8080/');
    expect(exec.stdout).toBe('hello over podman\n');
    expect((await run('exec', 'client', '--', 'sh', '-c', 'exit 7')).code).toBe(7);

    const again = await run('apply', '-f', '.');
    expect(again.stderr + again.stdout).toMatch(/: unchanged/);

    // The project's own objects only: under BERTH_TEST_ENGINE=podman the service is the run's.
    const own = ['--filter', `label=berth.project=${project}`];
    expect(await service.podman('network', 'ls', ...own, '--format', '{{.Name}}')).not.toBe('');
    const del = await run('delete', '-f', '.');
    expect(del.code).toBe(0);
    expect(await service.podman('ps', '-a', ...own, '--format', '{{.Names}}')).toBe('');
    expect(await service.podman('network', 'ls', ...own, '--format', '{{.Name}}')).toBe('');
    expect(await service.podman('volume', 'ls', ...own, '-q')).toBe('');
  });
});

const HEALTH_MANIFEST = `apiVersion: berth/v1
kind: Container
metadata: {name: good}
spec:
  image: localhost/berth-busybox:1
  init: true
  command: [sleep, '600']
  healthcheck: {command: [CMD, 'true'], interval: 1s, timeout: 2s, retries: 1}
---
apiVersion: berth/v1
kind: Container
metadata: {name: bad}
spec:
  image: localhost/berth-busybox:1
  init: true
  command: [sleep, '600']
  healthcheck: {command: [CMD, 'false'], interval: 1s, timeout: 2s, retries: 1}
---
apiVersion: berth/v1
kind: Container
metadata: {name: plain}
spec:
  image: localhost/berth-busybox:1
  init: true
  command: [sleep, '600']
`;

const healthDir = mkdtempSync(join(tmpdir(), 'berth-pm-health-'));
const healthProject = uniqueProject('pm-health');
const healthRun = (verb: string, ...args: string[]) =>
  berth([verb, '-p', healthProject, ...args], {
    cwd: healthDir,
    env: { XDG_STATE_HOME: state, ...service.env },
  });

interface Row {
  name: string;
  health: string | null;
}

/** `get -o json` rows by name. */
async function healthByName(): Promise<Record<string, string | null>> {
  const r = await healthRun('get', '-o', 'json');
  const parsed = JSON.parse(r.stdout) as Row[] | { items: Row[] };
  const rows = Array.isArray(parsed) ? parsed : parsed.items;
  return Object.fromEntries(rows.map((o) => [o.name, o.health]));
}

/**
 * Health on Podman (ENGINE-NOTES.md, "Podman"): its Docker-compatible list carries no health
 * and, without systemd, it runs no healthcheck by itself. `get` and `status` still show
 * `healthy`/`unhealthy`: observe reads libpod's list and inspects the containers that have a
 * healthcheck, running a due check through Podman's healthcheck endpoint.
 */
describe('health on Podman', () => {
  it('get and status show healthy and unhealthy from the containers’ healthchecks', async () => {
    writeFileSync(join(healthDir, 'app.yaml'), HEALTH_MANIFEST);
    const apply = await healthRun('apply', '-f', '.');
    expect(apply.code).toBe(0);
    let health: Record<string, string | null> = {};
    for (let t = 0; t < 30; t++) {
      health = await healthByName();
      if (health.good === 'healthy' && health.bad === 'unhealthy') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(health).toMatchObject({ good: 'healthy', bad: 'unhealthy' });
    expect(health.plain === null || health.plain === 'none').toBe(true);
    // Podman's own record agrees: the checks ran and were recorded there.
    const inspect = (name: string) =>
      service.podman('inspect', '-f', '{{.State.Health.Status}}', `${healthProject}-${name}`);
    expect(await inspect('good')).toBe('healthy');
    expect(await inspect('bad')).toBe('unhealthy');

    const status = await healthRun('status', '-o', 'wide');
    expect(status.stdout).toMatch(/^Container\/good\s.*\bhealthy\b/m);
    expect(status.stdout).toMatch(/^Container\/bad\s.*\bunhealthy\b/m);
    expect((await healthRun('delete', '-f', '.')).code).toBe(0);
  }, 90_000);
});
