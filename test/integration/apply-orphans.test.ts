import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProject, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { berth } from './status-cli-support.js';
import { stateOf } from './watch-support.js';

/**
 * F551: a container whose manifest was removed keeps running after `apply` without
 * `--prune` (as DESIGN says), but apply and plan name it and `--prune` on stderr, as
 * `docker compose up` does ("Found orphan containers … --remove-orphans"), and neither
 * says the engine matches the manifests.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-orphans-'));
const project = uniqueProject('orph');
const folder = join(work, project);
const stateHome = join(work, 'state');
mkdirSync(folder);
writeFileSync(join(folder, 'talker.yaml'), sleeperYaml('talker'));
writeFileSync(join(folder, 'extra.yaml'), sleeperYaml('extra'));

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

const warning = `warning: no longer declared, left on the engine: Container/extra (project ${project}); berth apply --prune removes it\n`;

describe('objects no longer declared, without --prune', () => {
  it('apply and plan name them and --prune on stderr, exit as before, and do not claim the engine matches', async () => {
    expect((await berth(stateHome, work, 'apply', '-f', folder)).code).toBe(0);
    rmSync(join(folder, 'extra.yaml'));

    const applied = await berth(stateHome, work, 'apply', '-f', folder);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toBe(warning);
    expect(applied.stdout).toMatch(
      new RegExp(
        `^Project ${project}: unchanged; the declared objects match the engine, 1 object no longer declared is left on the engine \\(\\d+\\.\\ds\\)\\n$`,
      ),
    );
    expect(await stateOf(`${project}-extra`)).toBe('running');

    const planned = await berth(stateHome, work, 'plan', '-f', folder, '--exit-code');
    expect(planned.code).toBe(0);
    expect(planned.stderr).toBe(warning);
    expect(planned.stdout).toBe(
      `Project ${project}: no changes to the declared objects; 1 object no longer declared is left on the engine.\n`,
    );
  });

  it('after apply --prune there is nothing to warn about', async () => {
    const pruned = await berth(stateHome, work, 'apply', '-f', folder, '--prune');
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stderr).toBe('');
    expect(await stateOf(`${project}-extra`)).toBe('absent');
    const again = await berth(stateHome, work, 'apply', '-f', folder);
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain('unchanged; the engine already matches the manifests');
  });
});
