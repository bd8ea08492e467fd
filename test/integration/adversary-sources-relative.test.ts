import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker } from '../support/docker.js';
import { berth } from './status-cli-support.js';
import { stateOf } from './watch-support.js';
import { twoFoldersOneProject } from '../support/two-folders.js';

/**
 * Issue 19 item 10 as people type it, and Compose's docker/compose#7969 / #5104: two
 * folders with one base name share a project. With a relative `-f` (`apply -f one/shop`),
 * the objects must still carry the folder they came from, so `apply --prune` from the
 * other folder refuses to delete them; and `berth down` run in one folder must not delete
 * what the other folder applied (Compose's `down` in test2 destroyed test1's containers).
 */

const { work, stateHome, project, one, two } = twoFoldersOneProject('advrel');

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

describe('two folders with one base name, given as relative paths', () => {
  it('objects carry their absolute source folder, and apply --prune from the other folder refuses', async () => {
    const a = await berth(stateHome, work, 'apply', '-f', `one/${project}`);
    expect(a.code, a.stderr).toBe(0);
    const b = await berth(stateHome, work, 'apply', '-f', `two/${project}/db.yaml`);
    expect(b.code, b.stderr).toBe(0);
    const label = (name: string) =>
      docker('inspect', '-f', '{{index .Config.Labels "berth.source"}}', `${project}-${name}`);
    expect(await label('web')).toBe(one);
    expect(await label('db')).toBe(two);

    const refused = await berth(stateHome, work, 'apply', '-f', `two/${project}`, '--prune');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`refusing to delete Container/web: applied from ${one}`);
    expect(await stateOf(`${project}-web`)).toBe('running');
  });

  it('berth down in one folder refuses to delete what the other folder applied; --force deletes', async () => {
    // The last apply was from two/; down is run in one/.
    const refused = await berth(stateHome, one, 'down');
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stderr).toContain(`refusing to delete Container/db: applied from ${two}`);
    expect(await stateOf(`${project}-db`)).toBe('running');
    expect(await stateOf(`${project}-web`)).toBe('running');

    // The project's default network stays: web (from one/) still uses it.
    // It is left in place and said so, not a failure (exit 0, as delete; Compose's down
    // leaves a network "still in use" the same way).
    const forced = await berth(stateHome, one, 'down', '--force');
    expect(forced.stdout).toContain(
      `Network/default: kept, still used by ${project}-web (not deleted here)`,
    );
    expect(forced.stdout).toMatch(/1 deleted, 1 kept\n$/);
    expect(forced.code, forced.stdout).toBe(0);
    expect(await stateOf(`${project}-db`)).toBe('absent');
    expect(await stateOf(`${project}-web`)).toBe('running');
    expect(await docker('network', 'inspect', '-f', '{{.Name}}', `${project}-default`)).toBe(
      `${project}-default`,
    );
  });
});
