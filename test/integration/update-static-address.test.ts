import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, TEST_IMAGE } from '../support/docker.js';
import { cliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';

/**
 * FINDINGS F185: a container with a static address and no published port got the start-first
 * update by default, and every update of it failed — the `-next` container could not take
 * the address ("Address already in use"), V stayed 1 on every apply. The address forces
 * stop-first now, and `plan` names it.
 */

const third = 100 + (process.pid % 100);
const address = `10.214.${third}.53`;
const manifest = (v: number) => `apiVersion: berth/v1
kind: Network
metadata: {name: n}
spec: {ipam: {subnet: 10.214.${third}.0/24}}
---
apiVersion: berth/v1
kind: Container
metadata: {name: dns}
spec:
  image: ${TEST_IMAGE}
  command: [sh, -c, "trap 'exit 0' TERM; while true; do sleep 1; done"]
  env: {V: "${v}"}
  networks: [{network: n, ipv4Address: ${address}}]
  update: {minReady: 1s}
`;

const projects: ReturnType<typeof cliProject>[] = [];
afterAll(async () => {
  for (const p of projects) await p.cleanup();
});

describe('an update of a container with a static address', () => {
  it('is stop-first by default, says why, and converges keeping the address', async () => {
    const p = cliProject('updip', manifest(1));
    projects.push(p);
    const { work, stateHome, project, dir } = p;
    const name = `${project}-dns`;
    const first = await berth(stateHome, work, 'apply', '-f', dir, '-p', project);
    expect(first.code, first.stdout + first.stderr).toBe(0);

    writeFileSync(join(dir, 'app.yaml'), manifest(2));
    const plan = await berth(stateHome, work, 'plan', '-f', dir, '-p', project);
    expect(plan.stdout).toContain(
      `stop-first: address ${address} on network n is held by the running container`,
    );
    const second = await berth(stateHome, work, 'apply', '-f', dir, '-p', project);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(await docker('inspect', '-f', '{{json .Config.Env}}', name)).toContain('V=2');
    const ips = await docker(
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}',
      name,
    );
    expect(ips.trim()).toBe(address);
    const leftovers = await docker(
      'ps',
      '-a',
      '--filter',
      `name=${name}-`,
      '--format',
      '{{.Names}}',
    );
    expect(leftovers.trim()).toBe('');
  }, 90_000);
});
