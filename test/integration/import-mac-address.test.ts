import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * A service-level `mac_address` imported (on the project's default network, and on the one
 * network a service names) reaches the engine: the container's interface on that network
 * has the MAC, as under docker compose.
 */

const dir = mkdtempSync(join(tmpdir(), 'berth-import-mac-'));
const project = uniqueProject('importmac');
const state = { XDG_STATE_HOME: join(dir, 'state') };
afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

const sleeper = `    image: ${TEST_IMAGE}\n    init: true\n    command: [sleep, "3600"]\n`;
writeFileSync(
  join(dir, 'compose.yaml'),
  `services:\n  web:\n${sleeper}    mac_address: "02:42:ac:1e:00:0a"\n` +
    `  api:\n${sleeper}    mac_address: "02:42:AC:1E:00:0B"\n    networks: [back]\n` +
    'networks:\n  back: {}\n',
);

const macs = async (name: string) =>
  Object.fromEntries(
    Object.entries(
      JSON.parse(
        await docker('inspect', '-f', '{{json .NetworkSettings.Networks}}', `${project}-${name}`),
      ) as Record<string, { MacAddress: string }>,
    ).map(([network, endpoint]) => [network, endpoint.MacAddress]),
  );

describe('an imported service-level mac_address on the engine', () => {
  it('is the MAC of the container on its one network', async () => {
    const imported = await berth(['import', '-o', 'out', '-p', project], { cwd: dir, env: state });
    expect(imported.code, imported.stderr).toBe(0);
    const applied = await berth(['apply', '-f', join(dir, 'out'), '-p', project], { env: state });
    expect(applied.code, applied.stderr).toBe(0);
    expect(await macs('web')).toEqual({ [`${project}-default`]: '02:42:ac:1e:00:0a' });
    expect(await macs('api')).toEqual({ [`${project}-back`]: '02:42:ac:1e:00:0b' });
  });
});
