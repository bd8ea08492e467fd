import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker } from '../support/docker.js';
import { berth } from './status-cli-support.js';
import { stateOf } from './watch-support.js';
import { twoFoldersOneProject } from '../support/two-folders.js';

/**
 * Issue 19 item 10: `one/shop/web.yaml` and `two/shop/db.yaml` both default to project
 * `shop`; `apply --prune` from one must not delete the other's containers without a word.
 */

const { work, stateHome, project, one, two } = twoFoldersOneProject('shop');

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

describe('two folders with one base name', () => {
  it('apply --prune refuses to delete what the other folder applied, plan names it, --force deletes', async () => {
    expect((await berth(stateHome, work, 'apply', '-f', one)).code).toBe(0);
    const second = await berth(stateHome, work, 'apply', '-f', two);
    expect(second.code).toBe(0);
    // Not pruned, and not offered to --prune either: another folder applied it (F551).
    expect(second.stderr).toBe(
      `warning: not declared here, left on the engine: Container/web, applied from ${one} (another folder of project ${project}); give one of the folders its own project (-p NAME)\n`,
    );
    const label = await docker(
      'inspect',
      '-f',
      '{{index .Config.Labels "berth.source"}}',
      `${project}-web`,
    );
    expect(label).toBe(one);

    const plan = await berth(stateHome, work, 'plan', '-f', two, '--prune');
    expect(plan.stdout).toContain(
      `note: Container/web was applied from ${one} (another folder of project ${project}); apply refuses to delete it without --force`,
    );

    const refused = await berth(stateHome, work, 'apply', '-f', two, '--prune');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `error: refusing to delete Container/web: applied from ${one}, another folder of project ${project}; nothing was changed`,
    );
    expect(await stateOf(`${project}-web`)).toBe('running');

    const forced = await berth(stateHome, work, 'apply', '-f', two, '--prune', '--force');
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    expect(await stateOf(`${project}-web`)).toBe('absent');
    expect(await stateOf(`${project}-db`)).toBe('running');
  });

  it('the source label is not part of the spec hash: the same manifest from another folder recreates nothing', async () => {
    const id = await docker('inspect', '-f', '{{.Id}}', `${project}-db`);
    const copy = join(work, 'copy', project);
    cpSync(two, copy, { recursive: true });
    const again = await berth(stateHome, work, 'apply', '-f', copy);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await docker('inspect', '-f', '{{.Id}}', `${project}-db`)).toBe(id);
  });
});
