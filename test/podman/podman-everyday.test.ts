import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { uniqueProject } from '../support/docker.js';
import { startPodman, type PodmanService } from '../support/podman.js';

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
});
afterAll(async () => {
  await service?.stop();
  rmSync(state, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
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

    const del = await run('delete', '-f', '.');
    expect(del.code).toBe(0);
    expect(await service.podman('ps', '-a', '--format', '{{.Names}}')).toBe('');
    const networks = await service.podman('network', 'ls', '--format', '{{.Name}}');
    expect(networks.split('\n')).toEqual(['podman']);
    expect(await service.podman('volume', 'ls', '-q')).toBe('');
  });
});
