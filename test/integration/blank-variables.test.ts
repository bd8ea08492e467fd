import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * Compose files that leave variables blank (`${HOST_PORT}:80`, `hostname: ${HOST}`,
 * `dns: [${DNS_IP}]` with nothing in `.env`), as `berth import` writes them, on the real
 * engine: the port is published on a host port the engine picks (Docker's `-p 127.0.0.1::80`),
 * the blank hostname and DNS server are left to the engine's defaults, and applying again
 * plans nothing.
 */

const project = uniqueProject('blankvars');
const dir = mkdtempSync(join(tmpdir(), 'berth-blankvars-'));

const MANIFEST = `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${TEST_IMAGE}
  command: [sleep, "3600"]
  hostname: \${HOST:-}
  dns: ["\${DNS_IP:-}"]
  ports: ["127.0.0.1:\${HOST_PORT:-}:80", "127.0.0.1::81/udp"]
`;

describe('blank variables reach the engine as Compose would send them', () => {
  beforeAll(() => {
    writeFileSync(join(dir, '.env'), 'HOST_PORT=\nHOST=\n');
    writeFileSync(join(dir, 'berth.yaml'), MANIFEST);
  });
  afterAll(async () => {
    await cleanupProject(project);
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes an empty host side on a port the engine picks; blank hostname and dns are not set', async () => {
    const env = { HOST_PORT: undefined, HOST: undefined, DNS_IP: undefined };
    const applied = await berth(['apply', '-f', 'berth.yaml', '-p', project], { cwd: dir, env });
    expect(applied.stderr + applied.stdout).not.toMatch(/failed|error/i);
    expect(applied.code).toBe(0);

    const name = `${project}-web`;
    const tcp = (await docker('port', name, '80/tcp')).trim();
    const udp = (await docker('port', name, '81/udp')).trim();
    expect(tcp).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(udp).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(Number(tcp.split(':')[1])).toBeGreaterThan(0);

    const [inspected] = JSON.parse(await docker('inspect', name)) as {
      Id: string;
      Config: { Hostname: string };
      HostConfig: { Dns: string[] | null };
    }[];
    // The engine's default hostname: the first 12 characters of the container id.
    expect(inspected?.Config.Hostname).toBe(inspected?.Id.slice(0, 12));
    expect(inspected?.HostConfig.Dns ?? []).toEqual([]);

    const again = await berth(['plan', '-f', 'berth.yaml', '-p', project, '--exit-code'], {
      cwd: dir,
      env,
    });
    expect(again.stdout).not.toMatch(/^[+~-] /m);
    expect(again.code).toBe(0);
  });
});
