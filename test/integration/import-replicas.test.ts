import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth, importValidateApply } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * F9: a Compose service that joins a replicated service (`network_mode: service:web` with
 * `deploy.replicas: 2`) imports losslessly, validates, and on the real engine shares the
 * network stack of web's replica 1; `depends_on` and `links` to the replicated service wait
 * for every replica and reach them under the service name.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-import-rep-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const project = uniqueProject('imprep');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

const COMPOSE = `services:
  web:
    image: ${TEST_IMAGE}
    init: true
    command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"]
    deploy:
      replicas: 2
  side:
    image: ${TEST_IMAGE}
    init: true
    command: sleep 300
    network_mode: service:web
  dep:
    image: ${TEST_IMAGE}
    init: true
    command: sleep 300
    depends_on: [web]
    links: [web]
`;

describe('import of services joined to a replicated service', () => {
  it('network_mode service:web joins web replica 1; depends_on and links reach every replica', async () => {
    mkdirSync(join(work, 'app'));
    writeFileSync(join(work, 'app', 'compose.yaml'), COMPOSE);
    const cwd = join(work, 'app');
    const { valid, applied } = await importValidateApply(cwd, project, env);
    // What was declared: web once (not its two replicas), the implied default network apart.
    expect(valid.stdout).toBe('valid: 3 objects in 3 files (+ the default network)\n');
    expect(applied.stderr).toBe('');

    const first = (await docker('inspect', '-f', '{{.Id}}', `${project}-web-1`)).trim();
    const mode = await docker('inspect', '-f', '{{.HostConfig.NetworkMode}}', `${project}-side`);
    expect(mode.trim()).toBe(`container:${first}`);
    // The same network stack: replica 1's own server answers on side's localhost.
    const served = await docker(
      'exec',
      `${project}-side`,
      'wget',
      '-q',
      '-O',
      '-',
      'http://127.0.0.1/',
    );
    const host1 = await docker('inspect', '-f', '{{.Config.Hostname}}', `${project}-web-1`);
    expect(served.trim()).toBe(host1.trim());
    // dep reaches the service name (every replica carries it as an alias).
    const viaName = await docker('exec', `${project}-dep`, 'wget', '-q', '-O', '-', 'http://web/');
    expect(viaName.trim()).not.toBe('');

    const again = await berth(['plan', '-f', 'out', '-p', project, '--exit-code'], { cwd, env });
    expect(again.stdout).toContain('no changes');
    expect(again.code).toBe(0);
  });
});
