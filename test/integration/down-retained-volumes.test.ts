import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

/**
 * F276: a Volume an `apply --prune` kept with its data (`retain: true`, no longer declared) is
 * still the project's; `down --volumes`, like `docker compose down -v`, removes it too — it
 * was left, and down said `0 deleted`. Plain `down` still keeps it.
 */
const work = mkdtempSync(join(tmpdir(), 'berth-down-retained-'));
const project = uniqueProject('downret');
const env = { XDG_STATE_HOME: join(work, 'state') };
const run = (args: string[]) => berth([...args, '-p', project], { cwd: work, env });
const volumes = async () =>
  (await docker('volume', 'ls', '-q', '--filter', `label=berth.project=${project}`))
    .split('\n')
    .filter(Boolean);

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

describe('down --volumes and a volume an earlier prune retained', () => {
  it('is removed by down --volumes, kept by down', async () => {
    writeFileSync(
      join(work, 'a.yaml'),
      `apiVersion: berth/v1\nkind: Volume\nmetadata: {name: data}\nspec: {retain: true}\n---\n${sleeperYaml('c', '  mounts: [{volume: data, target: /data}]\n')}`,
    );
    writeFileSync(join(work, 'b.yaml'), sleeperYaml('other'));
    expect((await run(['apply', '-f', '.'])).code).toBe(0);
    renameSync(join(work, 'a.yaml'), join(work, 'a.yaml.off'));
    const pruned = await run(['apply', '-f', '.', '--prune']);
    expect(pruned.code, pruned.stdout + pruned.stderr).toBe(0);
    expect(await volumes()).toEqual([`${project}-data`]);

    const kept = await run(['down']);
    expect(kept.code, kept.stdout + kept.stderr).toBe(0);
    expect(await volumes()).toEqual([`${project}-data`]);

    writeFileSync(join(work, 'b.yaml'), sleeperYaml('other'));
    expect((await run(['apply', '-f', '.'])).code).toBe(0);
    const down = await run(['down', '--volumes']);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toMatch(/Volume\/data/);
    expect(await volumes()).toEqual([]);
  });
});
