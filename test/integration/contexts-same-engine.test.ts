import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { scratchDockerConfig } from '../support/cluster.js';
import { cleanupProject, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

const run = promisify(execFile);

/**
 * Two contexts that reach one engine (a context for the local socket beside the default one,
 * like Docker Desktop's `default` and `desktop-linux`): `apply --prune` once read each
 * context's objects as "not declared" through the other and deleted declared containers,
 * exiting 0 (new-user trial, session 4). They are one engine: nothing declared is deleted.
 */
const { work, dir, env, contexts } = scratchDockerConfig('same-engine');
const project = uniqueProject('same');

beforeAll(async () => {
  mkdirSync(dir);
  const placed = '  placement: {context: same}\n';
  writeFileSync(
    join(dir, 'set.yaml'),
    [sleeperYaml('here'), sleeperYaml('there', placed), sleeperYaml('other', placed)].join('---\n'),
  );
  await contexts('create', 'same', '--docker', 'host=unix:///var/run/docker.sock');
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

async function running(): Promise<string[]> {
  const ps = await run('docker', [
    'ps',
    '--filter',
    `label=berth.project=${project}`,
    '--format',
    '{{.Label "berth.name"}}',
  ]);
  return ps.stdout.split('\n').filter(Boolean).sort();
}

describe('two contexts on one engine', () => {
  it('apply --prune, twice, keeps every declared container; status is in sync', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await berth(['apply', '--prune', '-f', dir, '-p', project], { env });
      expect(r.stdout + r.stderr).not.toMatch(/[1-9]\d* deleted/);
      expect(r.code).toBe(0);
      expect(await running()).toEqual(['here', 'other', 'there']);
    }
    const status = await berth(['status', '-f', dir, '-p', project], { env });
    expect(status.stdout + status.stderr).not.toContain('Not declared');
    expect(status.code).toBe(0);
    const get = await berth(['get', '-f', dir, '-p', project, '-o', 'json'], { env });
    const names = (JSON.parse(get.stdout) as { items: { name: string }[] }).items.map(
      (i) => i.name,
    );
    expect(names.filter((n) => n === 'here')).toHaveLength(1);
  });
});
