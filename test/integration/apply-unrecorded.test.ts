import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, TEST_IMAGE } from '../support/docker.js';
import { cliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';

/**
 * FINDINGS F181: when berth could not write the project's records (a full disk), apply said
 * `converged`, exit 0, and `down` afterwards said "nothing applied, nothing to delete", exit 0,
 * while the project's containers ran. Here the record cannot be written because its path is
 * taken by a folder (the lock file beside it is written, as on the full disk).
 */

const manifest = `apiVersion: berth/v1
kind: Container
metadata: {name: fweb}
spec:
  image: ${TEST_IMAGE}
  command: [sh, -c, "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

const projects: ReturnType<typeof cliProject>[] = [];
afterAll(async () => {
  for (const p of projects) await p.cleanup();
});

describe('records that cannot be written', () => {
  it('apply exits 2 naming the state folder; down refuses, naming what runs, exit 1', async () => {
    const p = cliProject('unrec', manifest);
    projects.push(p);
    const { work, stateHome, project, dir } = p;
    const folder = join(stateHome, 'berth', project);
    mkdirSync(join(folder, 'last-applied.json', 'blocked'), { recursive: true });
    writeFileSync(join(folder, 'last-applied.json', 'blocked', 'x'), 'x');

    const apply = await berth(stateHome, work, 'apply', '-f', dir, '-p', project);
    expect(apply.code, apply.stdout + apply.stderr).toBe(2);
    expect(apply.stderr).toContain(
      `error: could not record the apply: cannot write the records of project ${project} in ${folder}: `,
    );
    expect(apply.stderr).toMatch(/^hint: .*apply again/m);
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${project}-fweb`)).toBe('running');

    // As on the full disk: no record at all (the folder stood in for the missing space).
    rmSync(join(folder, 'last-applied.json'), { recursive: true });
    const down = await berth(stateHome, work, 'down', '-p', project);
    expect(down.code, down.stdout + down.stderr).toBe(1);
    expect(down.stdout).not.toContain('nothing to delete');
    expect(down.stderr).toContain(
      `project ${project} has no apply recorded, but 2 of its objects exist on the engine: Container/fweb, Network/default`,
    );
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${project}-fweb`)).toBe('running');
  }, 90_000);
});
