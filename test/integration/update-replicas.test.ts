import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, projectContainerNames, uniqueProject } from '../support/docker.js';
import { countedWebYaml, replicaWebYaml } from '../support/manifests.js';
import { eventLines, recordEvents } from '../support/engine-events.js';

const project = uniqueProject('updr');
let stateHome: string;
const env = () => ({ XDG_STATE_HOME: stateHome });
const replicas = ['web-1', 'web-2', 'web-3'];
const ids = () =>
  Promise.all(replicas.map((r) => docker('inspect', '-f', '{{.Id}}', `${project}-${r}`)));
const modes = () =>
  Promise.all(
    replicas.map((r) => docker('inspect', '-f', '{{json .Config.Env}}', `${project}-${r}`)),
  );
const names = () => projectContainerNames(project);

const apply = (yaml: string) =>
  berth(['apply', '-f', '-', '-p', project, '--timeout', '90s'], { stdin: yaml, env: env() });

beforeAll(async () => {
  stateHome = await mkdtemp(join(tmpdir(), 'berth-updr-state-'));
});
afterAll(() => cleanupProject(project));

describe('replicas update one at a time on the real engine', () => {
  it('each replica passes its gate and takes its name before the next one is created', async () => {
    expect((await apply(replicaWebYaml('one'))).code).toBe(0);
    const before = await ids();
    const plan = await berth(['plan', '-f', '-', '-p', project], {
      stdin: replicaWebYaml('two'),
      env: env(),
    });
    expect(plan.stdout).toMatch(/Container\/web-2 .*one replica at a time, after web-1/);
    expect(plan.stdout).toMatch(/Container\/web-3 .*one replica at a time, after web-2/);
    const recording = recordEvents(project);
    await recording.ready;
    const run = await apply(replicaWebYaml('two'));
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const after = await ids();
    after.forEach((id, i) => expect(id).not.toBe(before[i]));
    for (const e of await modes()) expect(e).toContain('MODE=two');
    expect(await names()).toEqual(replicas.map((r) => `${project}-${r}`));

    const events = await recording.stop();
    const at = (action: string, match: string) =>
      events.findIndex((e) => e.action === action && (e.id === match || e.name === match));
    for (let i = 0; i < 3; i++) {
      const created = at('create', `${project}-web-${i + 1}-next`);
      const healthy = at('health_status: healthy', after[i]!);
      const oldGone = at('destroy', before[i]!);
      expect(created, eventLines(events)).toBeGreaterThanOrEqual(0);
      expect(healthy, eventLines(events)).toBeGreaterThan(created);
      // The old replica goes only after its successor passed the gate…
      expect(oldGone, eventLines(events)).toBeGreaterThan(healthy);
      // …and the next replica's new container is created only after that.
      if (i < 2) expect(at('create', `${project}-web-${i + 2}-next`)).toBeGreaterThan(oldGone);
    }
  });

  it('a replica that fails its gate is rolled back and the replicas after it are not touched', async () => {
    const before = await ids();
    const run = await apply(replicaWebYaml('three', 'false'));
    expect(run.code).toBe(2);
    const out = run.stdout + run.stderr;
    expect(out).toMatch(/web-1.*rolled back/);
    expect(out).toMatch(/web-2.*dependency Container\/web-1 failed: not changed/);
    expect(await ids()).toEqual(before);
    for (const e of await modes()) expect(e).toContain('MODE=two');
    expect(await names()).toEqual(replicas.map((r) => `${project}-${r}`));
  });

  it('replica 3 failing its gate takes replicas 1 and 2 back to the previous spec (onFailure: rollback)', async () => {
    const run = await apply(countedWebYaml('four'));
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const out = run.stdout + run.stderr;
    expect(out).toMatch(/web-3.*rolled back/);
    expect(out).toMatch(
      /web-1.*the update of Container\/web-3 failed its gate; back on the previous spec/,
    );
    expect(out).toMatch(
      /web-2.*the update of Container\/web-3 failed its gate; back on the previous spec/,
    );
    // Every replica runs the previous spec again (MODE=two), under its own name, no leftovers.
    for (const e of await modes()) expect(e).toContain('MODE=two');
    expect(await names()).toEqual(replicas.map((r) => `${project}-${r}`));
    for (const r of replicas)
      expect(await docker('inspect', '-f', '{{.State.Health.Status}}', `${project}-${r}`)).toBe(
        'healthy',
      );
  });
});
