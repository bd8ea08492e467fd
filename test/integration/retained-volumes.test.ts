import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { berth } from './status-cli-support.js';

/** Issue 11: a retained volume stays visible, and goes only on purpose (`--purge`). */

const work = mkdtempSync(join(tmpdir(), 'berth-retained-'));
const stateHome = join(work, 'state');
const project = uniqueProject('keep');
const dir = join(work, 'app');
mkdirSync(dir);
const volumeYaml = 'apiVersion: berth/v1\nkind: Volume\nmetadata: {name: data}\n';

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

const volumeExists = () =>
  docker('volume', 'inspect', `${project}-data`).then(
    () => true,
    () => false,
  );

describe('retained volumes', () => {
  it('get lists them as retained; delete says it kept one; delete --purge removes it', async () => {
    writeFileSync(join(dir, 'app.yaml'), [volumeYaml, sleeperYaml('app')].join('---\n'));
    expect((await berth(stateHome, work, 'apply', '-f', dir, '-p', project)).code).toBe(0);
    writeFileSync(join(dir, 'app.yaml'), sleeperYaml('app'));
    const pruned = await berth(stateHome, work, 'apply', '-f', dir, '-p', project, '--prune');
    expect(pruned.code, pruned.stdout + pruned.stderr).toBe(0);
    expect(await volumeExists()).toBe(true);

    const get = await berth(stateHome, work, 'get', '-p', project);
    expect(get.stdout).toMatch(/^data +Volume +retained +present /m);
    const json = await berth(stateHome, work, 'get', 'volume/data', '-p', project, '-o', 'json');
    expect(json.stdout).toContain('"desired": "retained"');
    // A named object prints as itself, not as a list of one (kubectl habit).
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'Volume', name: 'data' });

    const kept = await berth(stateHome, work, 'delete', 'volume/data', '-p', project);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toBe(
      `Volume/data: kept with its data (retain: true); berth delete volume/data -p ${project} --purge removes it\nProject ${project}: 0 deleted, 1 kept\n`,
    );
    expect(await volumeExists()).toBe(true);

    const purge = await berth(stateHome, work, 'delete', 'volume/data', '-p', project, '--purge');
    expect(purge.code, purge.stdout + purge.stderr).toBe(0);
    expect(purge.stdout).toContain(`Project ${project}: 1 deleted`);
    expect(await volumeExists()).toBe(false);
  });
});
