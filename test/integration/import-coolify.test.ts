import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * A Coolify service template, imported and applied on the real engine: a named volume no file
 * declares (Coolify declares it for the app; it used to be external, and apply stopped until
 * someone created it), an entrypoint script written from `content:` (with `$VAR` the
 * container's shell reads, and a literal `$$`), `mode: '0755'`, an empty `content: ""` file
 * the app writes, an `is_directory: true` bind, and `exclude_from_hc`.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-import-coolify-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const project = uniqueProject('impcool');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

const SCRIPT = [
  '#!/bin/sh',
  'echo "$GREETING ${GREETING:-none} $$PID" > /data/greeting',
  'exec sleep 300',
  '',
].join('\n');

describe('import of a Coolify template', () => {
  it('imports losslessly and applies: the script runs as written, the volume and files exist', async () => {
    const cwd = join(work, 'app');
    mkdirSync(cwd);
    writeFileSync(
      join(cwd, 'docker-compose.yml'),
      [
        'services:',
        '  app:',
        `    image: ${TEST_IMAGE}`,
        '    init: true',
        '    command: [/entrypoint.sh]',
        '    exclude_from_hc: true',
        '    environment: [GREETING=hello]',
        '    volumes:',
        '      - app-data:/data',
        '      - type: bind',
        '        source: ./etc/entrypoint.sh',
        '        target: /entrypoint.sh',
        "        mode: '0755'",
        '        content: |',
        ...SCRIPT.trimEnd()
          .split('\n')
          .map((line) => `          ${line}`),
        '      - type: bind',
        '        source: ./database.db',
        '        target: /database.db',
        '        isDirectory: false',
        '        content: ""',
        '      - type: bind',
        '        source: ./uploads',
        '        target: /uploads',
        '        is_directory: true',
        '',
      ].join('\n'),
    );
    const imported = await berth(['import', '-o', 'out', '-p', project], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(
      'docker-compose.yml:9:9: warning: services.app.volumes[0]: volume app-data is not declared under volumes:',
    );
    expect(imported.stderr).not.toContain('not supported');

    const applied = await berth(['apply', '-f', 'out', '-p', project], { cwd, env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const engineName = `${project}-app`;
    expect(await docker('exec', engineName, 'cat', '/entrypoint.sh')).toBe(SCRIPT.trimEnd());
    expect((await docker('exec', engineName, 'stat', '-c', '%a', '/entrypoint.sh')).trim()).toBe(
      '755',
    );
    // The script ran (it is executable) and its shell, not berth, read the variables.
    // Written by the script once the container has started: polled, not raced.
    await expect
      .poll(() => docker('exec', engineName, 'cat', '/data/greeting').catch(() => ''))
      .toMatch(/^hello hello \d+PID$/);
    const volume = await docker('volume', 'inspect', '-f', '{{.Name}}', `${project}-app-data`);
    expect(volume.trim()).toBe(`${project}-app-data`);
    await docker('exec', engineName, 'sh', '-c', 'echo row > /database.db && touch /uploads/x');
    expect(statSync(join(cwd, 'database.db')).size).toBe(4);
    expect(statSync(join(cwd, 'uploads', 'x')).isFile()).toBe(true);
  });
});
