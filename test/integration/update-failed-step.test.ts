import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectStatus } from '../../controller/status/status-types.js';
import { berth } from '../support/cli.js';
import { cleanupProject, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

/**
 * F278: after a start-first update whose new container failed its gate, status said
 * `last apply: stop failed: …` — the old container was never stopped. It names the gate.
 */
const project = uniqueProject('failstep');
let stateHome: string;
const env = () => ({ XDG_STATE_HOME: stateHome });
const apply = (health: string, mode: string) =>
  berth(['apply', '-f', '-', '-p', project, '--timeout', '60s'], {
    stdin: sleeperYaml(
      'app',
      `  env: {MODE: ${mode}}
  healthcheck: {command: [CMD-SHELL, "${health}"], interval: 1s, retries: 1, restartOnUnhealthy: false}
  update: {order: start-first, healthTimeout: 4s}
`,
    ),
    env: env(),
  });

beforeAll(async () => {
  stateHome = await mkdtemp(join(tmpdir(), 'berth-failstep-state-'));
});
afterAll(async () => {
  await cleanupProject(project);
  await rm(stateHome, { recursive: true, force: true });
});

describe('a start-first update whose new container fails its gate', () => {
  it('status names the gate as the step that failed, not stop', async () => {
    const first = await apply('true', 'one');
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const failed = await apply('exit 1', 'two');
    expect(failed.code, failed.stderr + failed.stdout).toBe(2);
    const r = await berth(['status', '-o', 'json', '-p', project], { env: env() });
    const app = (JSON.parse(r.stdout) as ProjectStatus).objects.find((o) => o.name === 'app')!;
    const degraded = app.conditions.find((c) => c.type === 'Degraded')!;
    expect(degraded.message).toMatch(/^last apply: gate failed: update rolled back/);
    expect(JSON.stringify(app)).not.toContain('stop failed');
  }, 120_000);
});

/**
 * F343: a stop-first update whose new container the engine would not start said `gate failed`
 * and `the old container keeps running`; it was stopped for the update and started again.
 */
describe('a stop-first update whose new container does not start', () => {
  const p2 = uniqueProject('failstart');
  const run = (extra: string) =>
    berth(['apply', '-f', '-', '-p', p2, '--timeout', '60s'], {
      stdin: sleeperYaml('app', `  update: {order: stop-first}\n${extra}`),
      env: env(),
    });
  afterAll(() => cleanupProject(p2));

  it('names the start, and says the old container was stopped and started again', async () => {
    const first = await run('');
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const failed = await run('  user: nosuchuser\n');
    expect(failed.code, failed.stderr + failed.stdout).toBe(2);
    expect(failed.stdout + failed.stderr).toMatch(
      /update rolled back: the old container was stopped for the update and started again/,
    );
    const r = await berth(['status', '-o', 'json', '-p', p2], { env: env() });
    const app = (JSON.parse(r.stdout) as ProjectStatus).objects.find((o) => o.name === 'app')!;
    const degraded = app.conditions.find((c) => c.type === 'Degraded')!;
    expect(degraded.message).toMatch(/^last apply: start failed: update rolled back/);
  }, 120_000);
});
