import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * What real app-store Compose files lean on, imported and applied on the real engine: the
 * engine's own socket (left out under the default policy, as a loss naming the flag; with
 * `--allow-host-path` a BindMount of type Socket — it was imported as a Directory, and every
 * apply failed "…/docker.sock is a file, declared a directory"), and a network the platform
 * provides (runtipi's `tipi_main_network`: external, never created by berth).
 */

const work = mkdtempSync(join(tmpdir(), 'berth-import-binds-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const project = uniqueProject('impsock');
const platformNet = `${project}-platform`;
afterAll(async () => {
  await cleanupProject(project);
  await docker('network', 'rm', platformNet).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

const SOCKET = '/var/run/docker.sock';

describe('import of host binds', () => {
  it('the engine socket becomes a Socket bind mount that mounts as a socket', async () => {
    const cwd = join(work, 'app');
    mkdirSync(cwd);
    writeFileSync(
      join(cwd, 'compose.yaml'),
      `services:
  agent:
    image: ${TEST_IMAGE}
    init: true
    command: sleep 300
    restart: unless-stopped
    volumes: ["${SOCKET}:${SOCKET}:ro"]
`,
    );
    // Under the default policy the socket is left out, named with the flag that keeps it.
    const fitted = await berth(['import', '-o', 'fitted'], { cwd });
    expect(fitted.code).toBe(2);
    expect(fitted.stderr).toContain(
      `compose.yaml:7:15: services.agent.volumes[0]: not supported: ${SOCKET} may not be mounted (forbidden by policy); not carried under the baseline policy (import and apply with --allow-host-path ${SOCKET} to keep it)`,
    );
    expect(readFileSync(join(cwd, 'fitted', 'agent.yaml'), 'utf8')).not.toMatch(/^\s+mounts:/m);
    const imported = await berth(['import', '-o', 'out', '--allow-host-path', SOCKET], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`--allow-host-path ${SOCKET}`);
    expect(readFileSync(join(cwd, 'out', 'bindmounts.yaml'), 'utf8')).toMatch(
      new RegExp(`hostPath: ${SOCKET}\\n\\s+type: Socket`),
    );
    const applied = await berth(
      ['apply', '-f', 'out', '-p', project, '--allow-host-path', SOCKET],
      { cwd, env },
    );
    expect(applied.stdout + applied.stderr).not.toContain('declared a');
    expect(applied.code).toBe(0);
    // `test -S` exits 0 only for a socket: the engine's socket is what the container sees.
    await docker('exec', `${project}-agent`, 'test', '-S', SOCKET);
  });

  it('a network no file declares is external: apply stops before any change until it exists, and never creates it', async () => {
    const cwd = join(work, 'fragment');
    mkdirSync(cwd);
    writeFileSync(
      join(cwd, 'compose.yaml'),
      `services:
  app:
    image: ${TEST_IMAGE}
    init: true
    command: sleep 300
    restart: unless-stopped
    networks: [${platformNet}]
`,
    );
    const imported = await berth(['import', '-o', 'out', '-p', project], { cwd });
    expect(imported.stderr).toContain(`network ${platformNet} is not declared`);
    expect(imported.code).toBe(2);

    const early = await berth(['apply', '-f', 'out', '-p', project], { cwd, env });
    expect(early.code).not.toBe(0);
    expect(early.stdout + early.stderr).toContain(platformNet);
    await expect(docker('network', 'inspect', platformNet)).rejects.toThrow();
    await expect(docker('inspect', `${project}-app`)).rejects.toThrow();

    await docker('network', 'create', platformNet);
    const applied = await berth(['apply', '-f', 'out', '-p', project], { cwd, env });
    expect(applied.stdout + applied.stderr).toContain('converged');
    expect(applied.code).toBe(0);
    const joined = await docker(
      'inspect',
      '-f',
      '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}',
      `${project}-app`,
    );
    expect(joined.trim()).toBe(platformNet);
    await cleanupProject(project);
  });
});
