import { afterAll, describe, expect, it } from 'vitest';
import { docker, TEST_IMAGE } from '../support/docker.js';
import { cliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';

/**
 * A network with IPv6 and two subnets (Compose `enable_ipv6: true` and `ipam.config` of an
 * IPv4 and an IPv6 entry, as mailcow writes it): the engine creates it with both, a container
 * gets its static IPv6 address from the second, and a second apply plans nothing.
 */

const third = 100 + (process.pid % 100);
const manifest = `apiVersion: berth/v1
kind: Network
metadata: {name: dual}
spec:
  enableIPv6: true
  ipam:
    - {subnet: 10.215.${third}.0/24}
    - {subnet: "fd00:215:${third}::/64", gateway: "fd00:215:${third}::1"}
---
apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: ${TEST_IMAGE}
  command: [sh, -c, "trap 'exit 0' TERM; while true; do sleep 1; done"]
  networks: [{network: dual, ipv6Address: "fd00:215:${third}::53"}]
`;

const projects: ReturnType<typeof cliProject>[] = [];
afterAll(async () => {
  for (const p of projects) await p.cleanup();
});

describe('a dual-stack network', () => {
  it('is created with IPv6 and both subnets; the container gets its IPv6 address', async () => {
    const p = cliProject('ipv6', manifest);
    projects.push(p);
    const { work, stateHome, project, dir } = p;
    const applied = await berth(stateHome, work, 'apply', '-f', dir, '-p', project);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const network = JSON.parse(
      await docker('network', 'inspect', '-f', '{{json .}}', `${project}-dual`),
    ) as { EnableIPv6: boolean; IPAM: { Config: { Subnet: string; Gateway?: string }[] } };
    expect(network.EnableIPv6).toBe(true);
    expect(network.IPAM.Config.map((c) => c.Subnet)).toEqual([
      `10.215.${third}.0/24`,
      `fd00:215:${third}::/64`,
    ]);
    const v6 = await docker(
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.GlobalIPv6Address}}{{end}}',
      `${project}-app`,
    );
    expect(v6).toBe(`fd00:215:${third}::53`);
    const again = await berth(stateHome, work, 'plan', '-f', dir, '-p', project, '--exit-code');
    expect(again.code, again.stdout).toBe(0);
  });
});
