import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ObjectStatus, ProjectStatus } from '../../controller/status/status-types.js';
import { berth } from '../support/cli.js';
import { scriptYaml } from '../support/manifests.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * A crash loop right after an apply (issue 11 follow-up). Status reads the engine's restart
 * count only for a start berth did not make; it used to take every start within 3 s of the
 * container's creation or of an apply as berth's own, so a container the engine restarted in
 * that span showed restarts 0 and ready. Now berth's own starts are on record, per container.
 */

const state = mkdtempSync(join(tmpdir(), 'berth-ready-after-'));
const env = { XDG_STATE_HOME: state };
const projects: string[] = [];
const dirs: string[] = [state];
afterAll(async () => {
  for (const p of projects) await cleanupProject(p);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `script` under `sh -c`, restarted by the engine whenever it exits (restartPolicy Always). */
const container = (name: string, script: string) =>
  scriptYaml(name, script, '  restartPolicy: Always\n');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A new project with a container `loop` running `script` (and the manifests `more`), applied;
 * resolves when apply returned. Apply may call a container that exits at once converged or
 * failed, as it catches it.
 */
async function applied(script: string, more = ''): Promise<{ project: string; at: number }> {
  const project = uniqueProject('readyafter');
  projects.push(project);
  const dir = mkdtempSync(join(tmpdir(), 'berth-ready-after-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'c.yaml'), container('loop', script) + more);
  const r = await berth(['apply', '-f', dir, '-p', project], { env });
  expect([0, 2], r.stdout + r.stderr).toContain(r.code);
  return { project, at: Date.now() };
}

async function loopStatus(project: string): Promise<{ code: number; loop?: ObjectStatus }> {
  const r = await berth(['status', '-o', 'json', '-p', project], { env });
  const status = JSON.parse(r.stdout) as ProjectStatus;
  return { code: r.code, loop: status.objects.find((o) => o.name === 'loop') };
}

/** Polls `docker inspect` until the engine has restarted `name` and it runs again. */
async function restartedByEngine(name: string, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const seen = await docker('inspect', '-f', '{{.State.Status}} {{.RestartCount}}', name);
    if (/^running [1-9]/.test(seen)) return true;
    await sleep(100);
  }
  return false;
}

function expectCrashLoop(seen: { code: number; loop?: ObjectStatus }): void {
  expect(seen.code, JSON.stringify(seen.loop)).toBe(3);
  expect(seen.loop?.restarts, JSON.stringify(seen.loop)).toBeGreaterThan(0);
  expect(seen.loop?.ready, JSON.stringify(seen.loop)).toBe(false);
}

describe('a container crash-looping right after apply', () => {
  it('exiting at once: restarts and not ready within 2 s and after 5 s', async () => {
    const { project, at } = await applied('exit 3');
    await sleep(Math.max(0, at + 1_500 - Date.now()));
    expectCrashLoop(await loopStatus(project));
    await sleep(Math.max(0, at + 5_000 - Date.now()));
    expectCrashLoop(await loopStatus(project));
  }, 60_000);

  it('up 4 s each run, restarted by the engine right after the apply: restarts and not ready at once and 5 s later', async () => {
    // `after` waits for `slow` to turn healthy (about 4 s): the engine restarts `loop` within
    // 3 s of the apply's end (the span the old rule took as berth's own starts), and `loop` is
    // up, not restarting, for the 4 s after that in which status looks.
    const slow = `${container('slow', 'sleep 3; touch /tmp/ok; while true; do sleep 1; done')}  healthcheck: {command: [CMD, test, -f, /tmp/ok], interval: 1s, retries: 30}\n`;
    const after = `${container('after', 'while true; do sleep 1; done')}  dependsOn: [{container: slow, condition: healthy}]\n`;
    const { project, at } = await applied('sleep 4; exit 3', `---\n${slow}---\n${after}`);
    expect(await restartedByEngine(`${project}-loop`, 10_000)).toBe(true);
    expectCrashLoop(await loopStatus(project));
    await sleep(Math.max(0, at + 5_000 - Date.now()));
    expectCrashLoop(await loopStatus(project));
  }, 60_000);
});
