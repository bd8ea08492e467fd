import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

// Engine errors a user can act on, in berth's words (issue 13): a host port in use names
// the address; a network that stays in use names the containers using it.
const project = uniqueProject('msg');
const dir = mkdtempSync(join(tmpdir(), 'berth-msg-'));
const state = mkdtempSync(join(tmpdir(), 'berth-msg-state-'));
const env = { XDG_STATE_HOME: state };
let server: Server | undefined;

afterAll(async () => {
  server?.close();
  await docker('rm', '-f', `${project}-intruder`).catch(() => undefined);
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

describe('engine messages', () => {
  it('a host port held by another process: "host port 127.0.0.1:PORT is in use"', async () => {
    server = createServer();
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    writeFileSync(join(dir, 'web.yaml'), sleeperYaml('web', `  ports: ["127.0.0.1:${port}:80"]\n`));
    const apply = await berth(['apply', '-f', dir, '-p', project, '--timeout', '20s'], { env });
    expect(apply.code).toBe(2);
    expect(apply.stdout + apply.stderr).toContain(`host port 127.0.0.1:${port} is in use`);
  });

  it('a network kept busy by a container berth does not own: delete keeps it and names the container', async () => {
    writeFileSync(join(dir, 'web.yaml'), sleeperYaml('web', '  networks: [back]\n'));
    writeFileSync(
      join(dir, 'back.yaml'),
      'apiVersion: berth/v1\nkind: Network\nmetadata: {name: back}\nspec: {}\n',
    );
    const apply = await berth(['apply', '-f', dir, '-p', project, '--log-level', 'warn'], { env });
    expect(apply.code, apply.stderr).toBe(0);
    await docker(
      'run',
      '-d',
      '--name',
      `${project}-intruder`,
      '--network',
      `${project}-back`,
      TEST_IMAGE,
      'sleep',
      '3600',
    );
    const del = await berth(['delete', '-f', dir, '-p', project], { env });
    // Kept, naming the container, as compose down warns and goes on (F462).
    expect(del.code, del.stdout + del.stderr).toBe(0);
    expect(del.stdout).toContain(`Network/back: kept, still used by container ${project}-intruder`);
  });
});
