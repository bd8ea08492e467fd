import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachProject } from '../../controller/cli/attach.js';
import type { CliContext } from '../../controller/cli/context.js';
import { createDockerEngine } from '../../controller/engine/docker/docker-engine.js';
import { resolveEngineAddress } from '../../controller/engine/docker/engine-address.js';
import type { Engine } from '../../controller/engine/engine.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { IDLE, capture, runLabelled } from './streams-support.js';

const project = uniqueProject('sattach');
const done = uniqueProject('sattdone');
let engine: Engine;

function context(): CliContext & { out: ReturnType<typeof capture> } {
  const out = capture();
  return {
    out,
    cwd: tmpdir(),
    stdout: out,
    stderr: out,
    stdin: process.stdin,
    color: false,
    logger: undefined as never,
    engine: async () => engine,
    stateDir: mkdtempSync(join(tmpdir(), 'berth-state-')),
    now: Date.now,
    env: process.env,
  };
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  engine = await createDockerEngine(resolveEngineAddress());
  await runLabelled(project, 'web', `echo web-up; ${IDLE}`);
});

afterAll(async () => {
  await cleanupProject(project);
  await cleanupProject(done);
});

describe('attached mode', () => {
  it('streams logs, shows a container that exits with its code, and Ctrl-C leaves the rest running', async () => {
    const ctx = context();
    const abort = new AbortController();
    const attached = attachProject(ctx, engine, project, [], {
      stopOnExit: false,
      signal: abort.signal,
    });
    await until(() => ctx.out.text().includes('web-up'), 'the first line');
    // A container that appears while attached is followed, and its exit is reported.
    await runLabelled(project, 'job', 'echo job-ran; sleep 0.3; exit 3');
    await until(() => ctx.out.text().includes('exited with code 3'), 'the exit report');
    abort.abort();
    expect(await attached).toBe(0);
    const text = ctx.out.text();
    expect(text).toContain('web | web-up\n');
    expect(text).toContain('job | job-ran\n');
    expect(text.indexOf('job | job-ran')).toBeLessThan(text.indexOf('job | exited with code 3'));
    expect(text.endsWith('detached; containers keep running as declared\n')).toBe(true);
    expect(await docker('inspect', '--format', '{{.State.Status}}', `${project}-web`)).toBe(
      'running',
    );
  });

  it('stops the containers on Ctrl-C with stopOnExit', async () => {
    const ctx = context();
    const abort = new AbortController();
    const attached = attachProject(ctx, engine, project, ['web'], {
      stopOnExit: true,
      signal: abort.signal,
    });
    await until(() => ctx.out.text().includes('web-up'), 'the first line');
    abort.abort();
    expect(await attached).toBe(0);
    expect(ctx.out.text()).toContain('stopped 1 container\n');
    expect(await docker('inspect', '--format', '{{.State.Status}}', `${project}-web`)).toBe(
      'exited',
    );
  });

  it('returns by itself once every container has exited and none will be restarted (as compose up)', async () => {
    // restart "no" after exit 0 and "on-failure" after exit 0: both are done for good.
    await runLabelled(done, 'job', 'echo start; sleep 1; echo bye');
    await runLabelled(done, 'seed', 'echo seeded; sleep 1', ['--restart', 'on-failure']);
    const ctx = context();
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 30_000);
    const code = await attachProject(ctx, engine, done, [], {
      stopOnExit: true,
      signal: abort.signal,
    });
    clearTimeout(timer);
    expect(abort.signal.aborted, ctx.out.text()).toBe(false);
    expect(code).toBe(0);
    const text = ctx.out.text();
    expect(text).toMatch(/^job +\| bye$/m);
    expect(text).toMatch(/^job +\| exited with code 0$/m);
    expect(text).toMatch(/^seed +\| exited with code 0$/m);
    expect(text).not.toContain('stopped');
  }, 60_000);
});
