import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { berth } from './status-cli-support.js';
import { eventually, stateOf } from './watch-support.js';

/**
 * Attacks on `berth apply` while it runs (issue 11: adversarial tests), against the real
 * engine: whatever is done behind berth's back mid-apply, apply must end promptly with
 * the truth, never wait out its whole timeout for something that cannot happen any more.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-adv-apply-'));
const stateHome = join(work, 'state');
const projects: string[] = [];

afterAll(async () => {
  await Promise.all(projects.map((p) => cleanupProject(p)));
  rmSync(work, { recursive: true, force: true });
});

function folder(files: Record<string, string>): { dir: string; project: string } {
  const project = uniqueProject('advapply');
  projects.push(project);
  const dir = join(work, project);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, project };
}

describe('berth apply under attack', () => {
  it('a dependency removed while its dependant waits for it to be healthy fails the dependant at once', async () => {
    // The first probe runs only after 30 s: db stays "starting" long enough to be removed.
    const { dir, project } = folder({
      'db.yaml': sleeperYaml(
        'db',
        '  healthcheck: {command: [CMD, "true"], interval: 30s, timeout: 2s, retries: 1}\n',
      ),
      'web.yaml': sleeperYaml('web', '  dependsOn: [{container: db, condition: healthy}]\n'),
    });
    const started = Date.now();
    const apply = berth(stateHome, work, 'apply', '-f', dir, '--timeout', '90s');
    const running = await eventually(
      async () => (await stateOf(`${project}-db`)) === 'running',
      60_000,
      50,
    );
    expect(running).toBe(true);
    await docker('rm', '-f', `${project}-db`);
    const result = await apply;
    const tookMs = Date.now() - started;
    expect(result.code, result.stdout + result.stderr).toBe(2);
    // Well before the first probe (30 s) and the timeout (90 s).
    expect(tookMs).toBeLessThan(25_000);
    expect(result.stdout + result.stderr).toContain('Container/db');
    expect(result.stdout + result.stderr).not.toContain('timed out');
    expect(await stateOf(`${project}-web`)).toBe('absent');
  });
});
