import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, projectContainerNames, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

/**
 * F340, on the real engine: a rollback deletes what the applies after the restored one added
 * (the commonest rollback: undo a new service), checked against the folders the restored
 * apply read — not refused as another folder's, which every deletion once was. What another
 * folder of the project applied stays refused without `--force`, as for `apply --prune`.
 */
const project = uniqueProject('rbp');
let root: string;
let stateHome: string;
const env = () => ({ XDG_STATE_HOME: stateHome });
const run = (args: string[]) => berth([...args, '-p', project], { env: env(), cwd: root });
const names = async () => (await projectContainerNames(project)).sort();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'berth-rbp-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-rbp-state-'));
  await mkdir(join(root, 'one'));
  await mkdir(join(root, 'two'));
});
afterAll(async () => {
  await cleanupProject(project);
  await rm(root, { recursive: true, force: true });
  await rm(stateHome, { recursive: true, force: true });
});

describe('berth rollback that must delete', () => {
  it('removes the container the last apply of the same folder added', async () => {
    await writeFile(join(root, 'one', 'a.yaml'), sleeperYaml('a'));
    expect((await run(['apply', '-f', 'one'])).code).toBe(0);
    await writeFile(join(root, 'one', 'b.yaml'), sleeperYaml('b'));
    expect((await run(['apply', '-f', 'one'])).code).toBe(0);
    expect(await names()).toEqual([`${project}-a`, `${project}-b`]);

    const back = await run(['rollback']);
    expect(back.code, back.stderr).toBe(0);
    expect(await names()).toEqual([`${project}-a`]);
  });

  it('refuses to delete what another folder applied, unless --force', async () => {
    await writeFile(join(root, 'two', 'c.yaml'), sleeperYaml('c'));
    expect((await run(['apply', '-f', 'two'])).code).toBe(0);
    expect(await names()).toEqual([`${project}-a`, `${project}-c`]);

    // The apply before the last is one's rollback ({a}): c is two's.
    const refused = await run(['rollback']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `refusing to delete Container/c: applied from ${join(root, 'two')}`,
    );
    expect(refused.stderr).toContain('--force');
    expect(await names()).toEqual([`${project}-a`, `${project}-c`]);

    const forced = await run(['rollback', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await names()).toEqual([`${project}-a`]);
  });
});
