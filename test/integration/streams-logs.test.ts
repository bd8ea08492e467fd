import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveEngineAddress } from '../../controller/engine/docker/engine-address.js';
import { createDockerEngine } from '../../controller/engine/docker/docker-engine.js';
import { createDockerStreams } from '../../controller/engine/docker/docker-streams.js';
import type { Engine } from '../../controller/engine/engine.js';
import type { EngineStreams } from '../../controller/engine/engine-streams.js';
import { runLogSession } from '../../controller/cli/logs-session.js';
import { listByName } from '../../controller/cli/project-containers.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { IDLE, berth, runLabelled } from './streams-support.js';

const project = uniqueProject('slogs');
const shared = mkdtempSync(join(tmpdir(), 'berth-logs-'));
let engine: Engine;
let streams: EngineStreams;

async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  engine = await createDockerEngine(resolveEngineAddress());
  streams = await createDockerStreams(resolveEngineAddress());
  chmodSync(shared, 0o777);
  // Both wait for one file, then write at known offsets, so the expected order is fixed. The
  // offsets are more than a second apart: Podman's log timestamps are whole seconds.
  const gate = 'while [ ! -e /shared/go ]; do sleep 0.02; done;';
  await runLabelled(project, 'web', `${gate} echo w1; sleep 1.2; echo w2 >&2; sleep 2.4; echo w3`, [
    '-v',
    `${shared}:/shared`,
  ]);
  await runLabelled(project, 'api-server', `${gate} sleep 1.2; echo a1; sleep 1.2; echo a2`, [
    '-v',
    `${shared}:/shared`,
  ]);
  writeFileSync(join(shared, 'go'), '');
  await docker('wait', `${project}-web`, `${project}-api-server`);
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(shared, { recursive: true, force: true });
});

describe('berth logs', () => {
  it('interleaves containers by time with padded name prefixes, stderr apart', async () => {
    const result = await berth(project, ['logs']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      ['web        | w1', 'api-server | a1', 'api-server | a2', 'web        | w3', ''].join('\n'),
    );
    expect(result.stderr).toBe('web        | w2\n');
  });

  it('selects by name, keeps --tail per container and shows timestamps with -t', async () => {
    const result = await berth(project, ['logs', 'web', '--tail', '1', '-t']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^web \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z w3\n$/);
    expect(result.stderr).toBe('');
  });

  it('refuses an unknown name with exit 1', async () => {
    const result = await berth(project, ['logs', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no container nope in project ${project}`);
  });
});

describe('following', () => {
  it('continues under the same name across a recreate, without repeating lines', async () => {
    const labels = ['--label', 'tier=back'];
    await runLabelled(project, 'svc', `echo old-1; ${IDLE}`, labels);
    const received: string[] = [];
    const abort = new AbortController();
    const initial = await listByName(engine, project);
    const svc = new Map([['svc', initial.get('svc')!]]);
    const session = runLogSession(
      {
        engine,
        streams,
        project,
        now: Date.now,
        sink: { stdout: (t) => received.push(t), stderr: (t) => received.push(t) },
      },
      svc,
      { follow: true, timestamps: false, color: false, selector: [], names: ['svc'] },
      abort.signal,
    );
    await waitFor(() => received.join('').includes('old-1'), 'the first line');
    await docker('rm', '-f', `${project}-svc`);
    await runLabelled(project, 'svc', `echo new-1; sleep 0.2; echo new-2; ${IDLE}`, labels);
    await waitFor(() => received.join('').includes('new-2'), "the new container's lines");
    abort.abort();
    await session;
    expect(received.join('')).toBe('svc | old-1\nsvc | new-1\nsvc | new-2\n');
  });
  it("moves to a start-first update's new container with the lines it printed as -next (F133)", async () => {
    const labels = ['--label', 'tier=back'];
    const ticking = (v: string) =>
      `trap 'exit 0' TERM; i=0; while true; do i=$((i+1)); echo ${v}-$i; sleep 0.3; done`;
    await runLabelled(project, 'talker', ticking('v1'), labels);
    const received: string[] = [];
    const text = () => received.join('');
    const abort = new AbortController();
    const initial = await listByName(engine, project);
    const session = runLogSession(
      {
        engine,
        streams,
        project,
        now: Date.now,
        sink: { stdout: (t) => received.push(t), stderr: (t) => received.push(t) },
      },
      new Map([['talker', initial.get('talker')!]]),
      { follow: true, timestamps: false, color: false, selector: [], names: ['talker'] },
      abort.signal,
    );
    await waitFor(() => text().includes('v1-1'), 'the first line');
    // As start-first does it: the new one runs as -next beside the old one (its gate), then
    // the old one stops and goes and the new one takes the name.
    const next = `${project}-talker-next`;
    await runLabelled(project, 'talker-next', ticking('v2'), [
      ...labels,
      '--label',
      'berth.name=talker',
    ]);
    await waitFor(async () => (await docker('logs', next)).includes('v2-3'), 'the gate');
    // The old one keeps printing after the new one's first lines.
    await new Promise((r) => setTimeout(r, 700));
    await docker('rm', '-f', `${project}-talker`);
    await docker('rename', next, `${project}-talker`);
    await waitFor(() => text().includes('v2-6'), "the new container's later lines");
    abort.abort();
    await session;
    const lines = text().split('\n').filter(Boolean);
    const v2 = lines.filter((l) => l.startsWith('talker | v2-'));
    // From its first line on, each once, in order; after every line of the old one.
    expect(v2.slice(0, 6)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `talker | v2-${i}`));
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.findIndex((l) => l.includes('v2-'))).toBe(
      lines.filter((l) => l.includes('v1-')).length,
    );
  });
});
