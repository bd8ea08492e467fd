import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * F135: Compose `links: [db:mysql]` imported: the linking container reaches db by the alias
 * (a network alias of db on the network they share), as it does under docker compose.
 */

const dir = mkdtempSync(join(tmpdir(), 'berth-link-alias-'));
const project = uniqueProject('linkalias');
const state = { XDG_STATE_HOME: join(dir, 'state') };
afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

const sleeper = `    image: ${TEST_IMAGE}\n    init: true\n    command: [sleep, "3600"]\n`;
writeFileSync(
  join(dir, 'compose.yaml'),
  `services:\n  db:\n${sleeper}  web:\n${sleeper}    links: ["db:mysql"]\n`,
);

const ipOf = async (name: string) =>
  (
    await docker(
      'inspect',
      '-f',
      '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
      `${project}-${name}`,
    )
  ).trim();

describe('a Compose link alias on the engine (F135)', () => {
  it('resolves from the linking container to the linked one', async () => {
    const imported = await berth(['import', '-o', 'out', '-p', project], { cwd: dir, env: state });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(
      'warning: services.web.links[0]: alias mysql for db is written as a network alias of db',
    );
    const applied = await berth(['apply', '-f', join(dir, 'out')], { env: state });
    expect(applied.code, applied.stderr).toBe(0);
    const looked = await docker('exec', `${project}-web`, 'nslookup', 'mysql');
    expect(looked).toContain(await ipOf('db'));
  });
});
