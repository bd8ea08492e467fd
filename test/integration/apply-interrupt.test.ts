import { afterAll, describe, expect, it } from 'vitest';
import { docker } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { cliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';
import { eventually, spawnBerth, stateOf } from './watch-support.js';

/**
 * Ctrl-C during `berth apply` (DESIGN.md "One project, one writer"): it prints `interrupted`
 * with what was done, records the apply as `interrupted`, exits 130, and status afterwards
 * treats what the apply made as declared (not "not declared any more").
 */

// `slow` stays `starting` for a minute, so `after` waits on it and the apply is mid-run.
const { work, stateHome, project, dir, cleanup } = cliProject(
  'intr',
  [
    sleeperYaml(
      'slow',
      '  healthcheck: {command: [CMD, "false"], interval: 60s, startPeriod: 60s, retries: 3}\n',
    ),
    sleeperYaml('after', '  dependsOn: [{container: slow, condition: healthy}]\n'),
  ].join('---\n'),
);

afterAll(cleanup);

describe('Ctrl-C during apply', () => {
  it('prints interrupted with what was done, records it, exits 130; status keeps the new container', async () => {
    const run = spawnBerth(['apply', '-f', dir, '-p', project], { XDG_STATE_HOME: stateHome });
    const slowUp = await eventually(
      async () => (await stateOf(`${project}-slow`)) === 'running',
      60_000,
    );
    expect(slowUp, run.stderr()).toBe(true);
    run.child.kill('SIGINT');
    expect(await run.exited, run.stderr()).toBe(130);

    // The project's default network and `slow` are done; `after` is not.
    expect(run.stdout()).toMatch(/^interrupted: 2 of 3 objects done before Ctrl-C$/m);
    expect(run.stdout()).toMatch(/^ {2}done: .*Container\/slow \(/m);
    expect(run.stdout()).toMatch(/^ {2}skipped, its turn had not come: Container\/after$/m);
    expect(await stateOf(`${project}-after`)).toBe('absent');
    // The container it made carries every label (created in one call, never half-made).
    const labels = await docker('inspect', '-f', '{{json .Config.Labels}}', `${project}-slow`);
    expect(JSON.parse(labels)).toMatchObject({
      'berth.project': project,
      'berth.kind': 'Container',
      'berth.name': 'slow',
    });

    const history = await berth(stateHome, work, 'history', '-p', project, '-o', 'json');
    const items = JSON.parse(history.stdout) as { outcome: string }[];
    expect(items.map((i) => i.outcome)).toEqual(['interrupted']);

    const status = await berth(stateHome, work, 'status', '-p', project, '-o', 'json');
    expect(status.stdout).not.toContain('not declared any more');
    const objects = (JSON.parse(status.stdout) as { objects: { key: string; declared: boolean }[] })
      .objects;
    expect(objects.find((o) => o.key === 'Container/slow')?.declared).toBe(true);
    expect(objects.find((o) => o.key === 'Container/after')?.declared).toBe(true);
  });
});
