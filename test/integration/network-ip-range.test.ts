import { afterAll, describe, expect, it } from 'vitest';
import { docker, TEST_IMAGE } from '../support/docker.js';
import { cliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';

/**
 * A network's `ipam.ipRange` and `auxAddresses` (Compose `ip_range`, `aux_addresses`; F602)
 * reach the engine's IPAM config: docker network inspect shows both, a container gets its
 * address from the range, and a second apply plans nothing.
 */

const third = 100 + (process.pid % 100);
const manifest = `apiVersion: berth/v1
kind: Network
metadata: {name: ranged}
spec:
  ipam:
    subnet: 10.216.${third}.0/24
    ipRange: 10.216.${third}.128/25
    auxAddresses: {router: 10.216.${third}.130}
---
apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: ${TEST_IMAGE}
  command: [sh, -c, "trap 'exit 0' TERM; while true; do sleep 1; done"]
  networks: [ranged]
`;

const projects: ReturnType<typeof cliProject>[] = [];
afterAll(async () => {
  for (const p of projects) await p.cleanup();
});

describe('a network with an ip range and aux addresses', () => {
  it('is created with both; the container gets an address from the range', async () => {
    const p = cliProject('iprange', manifest);
    projects.push(p);
    const { work, stateHome, project, dir } = p;
    const applied = await berth(stateHome, work, 'apply', '-f', dir, '-p', project);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const network = JSON.parse(
      await docker('network', 'inspect', '-f', '{{json .IPAM.Config}}', `${project}-ranged`),
    ) as { Subnet: string; IPRange?: string; AuxiliaryAddresses?: Record<string, string> }[];
    expect(network).toEqual([
      {
        Subnet: `10.216.${third}.0/24`,
        IPRange: `10.216.${third}.128/25`,
        AuxiliaryAddresses: { router: `10.216.${third}.130` },
      },
    ]);
    const address = await docker(
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
      `${project}-app`,
    );
    expect(Number(address.split('.')[3])).toBeGreaterThanOrEqual(128);
    const again = await berth(stateHome, work, 'plan', '-f', dir, '-p', project, '--exit-code');
    expect(again.code, again.stdout).toBe(0);
  });
});
