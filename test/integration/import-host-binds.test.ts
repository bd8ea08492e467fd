import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * The most common bind in real Compose files, the engine's own socket, imports as a BindMount
 * of type Socket and mounts on the real engine (it was imported as a Directory, and every
 * apply failed "…/docker.sock is a file, declared a directory").
 */

const work = mkdtempSync(join(tmpdir(), 'berth-import-binds-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const project = uniqueProject('impsock');
afterAll(async () => {
  await cleanupProject(project);
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
    const imported = await berth(['import', '-o', 'out'], { cwd });
    expect(imported.code).toBe(0);
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
});
