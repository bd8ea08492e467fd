import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, freePort, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { eventLines, recordEvents } from '../support/engine-events.js';

const project = uniqueProject('upd');
let stateHome: string;
const env = () => ({ XDG_STATE_HOME: stateHome });
const name = (n: string) => `${project}-${n}`;
const inspect = (n: string, f: string) => docker('inspect', '-f', f, name(n));
const leftovers = async () =>
  (await docker('ps', '-a', '--filter', `label=berth.project=${project}`, '--format', '{{.Names}}'))
    .split('\n')
    .filter((n) => /-(next|prev)$/.test(n));

/**
 * busybox httpd answering /, healthy once it serves; MODE in its env. Its gate is 4 s (three
 * 1 s retries): a check runs through an exec that took 0.3–1.5 s on Podman under this host's
 * load, and a 3 s gate (two retries) was missed there now and then (F41), once on Docker too.
 */
function web(
  mode: string,
  options: { health?: string; port?: number; onFailure?: string } = {},
): string {
  const health = options.health ?? 'wget -q -O /dev/null http://127.0.0.1:8080/';
  const ports = options.port ? `  ports: ["127.0.0.1:${options.port}:8080"]\n` : '';
  const update = options.onFailure ? `  update: {onFailure: ${options.onFailure}}\n` : '';
  return `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sh, -c]
  args: ["mkdir -p /www && echo $$MODE > /www/index.html && exec httpd -f -p 8080 -h /www"]
  env: {MODE: ${mode}}
${ports}${update}  healthcheck: {command: [CMD-SHELL, "${health}"], interval: 1s, timeout: 2s, retries: 3}
`;
}

async function apply(yaml: string) {
  return berth(['apply', '-f', '-', '-p', project, '--timeout', '60s'], {
    stdin: yaml,
    env: env(),
  });
}

beforeAll(async () => {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  stateHome = await mkdtemp(join(tmpdir(), 'berth-upd-state-'));
});
afterAll(() => cleanupProject(project));

describe('updates on the real engine', () => {
  it('start-first: the new container passes its health gate before the old one stops', async () => {
    expect((await apply(web('one'))).code).toBe(0);
    const oldId = await inspect('web', '{{.Id}}');
    const recording = recordEvents(project);
    await recording.ready;
    const plan = await berth(['plan', '-f', '-', '-p', project], { stdin: web('two'), env: env() });
    expect(plan.stdout).toMatch(/start-first: no host port, address or writable volume is held/);
    const run = await apply(web('two'));
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(await inspect('web', '{{.Id}}')).not.toBe(oldId);
    expect(await inspect('web', '{{json .Config.Env}}')).toContain('MODE=two');
    expect(await leftovers()).toEqual([]);
    const events = await recording.stop();
    const healthy = events.findIndex(
      (e) => e.action === 'health_status: healthy' && e.id !== oldId,
    );
    const oldDies = events.findIndex((e) => e.action === 'die' && e.id === oldId);
    expect(healthy, eventLines(events)).toBeGreaterThanOrEqual(0);
    expect(oldDies, eventLines(events)).toBeGreaterThan(healthy);
  });

  it('changing only spec.update replaces nothing (F116)', async () => {
    const before = await inspect('web', '{{.Id}}');
    const changed = web('two', { onFailure: 'pause' });
    const plan = await berth(['plan', '-f', '-', '-p', project, '--exit-code'], {
      stdin: changed,
      env: env(),
    });
    expect(plan.code, plan.stdout).toBe(0);
    expect((await apply(changed)).code).toBe(0);
    expect(await inspect('web', '{{.Id}}')).toBe(before);
  });

  it('start-first: a new version that cannot start is removed, no -next left (F115)', async () => {
    const before = await inspect('web', '{{.Id}} {{.State.StartedAt}}');
    // Without an init process the engine itself refuses the start (exec: no such file).
    const broken = web('two')
      .replace('  init: true\n', '')
      .replace('command: [sh, -c]', 'command: [/nonexistent]');
    const run = await apply(broken);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/update rolled back.*the new container did not start/);
    expect(await inspect('web', '{{.Id}} {{.State.StartedAt}}')).toBe(before);
    expect(await leftovers()).toEqual([]);
  });

  it('start-first: a new version that never gets healthy is removed and the old one is never touched', async () => {
    const before = await inspect('web', '{{.Id}} {{.State.StartedAt}} {{.State.Status}}');
    const run = await apply(web('three', { health: 'false' }));
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/rolled back/);
    expect(await inspect('web', '{{.Id}} {{.State.StartedAt}} {{.State.Status}}')).toBe(before);
    expect(await leftovers()).toEqual([]);
  });

  it('stop-first (a published host port): the port is handed over; a failure renames the old one back', async () => {
    const port = await freePort();
    expect((await apply(web('four', { port }))).code).toBe(0);
    const plan = await berth(['plan', '-f', '-', '-p', project], {
      stdin: web('five', { port }),
      env: env(),
    });
    expect(plan.stdout).toMatch(new RegExp(`stop-first: host port 127.0.0.1:${port} is held`));
    expect((await apply(web('five', { port }))).code).toBe(0);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('five\n');
    const id = await inspect('web', '{{.Id}}');
    const failed = await apply(web('six', { port, health: 'false' }));
    expect(failed.code).toBe(2);
    expect(await inspect('web', '{{.Id}} {{.State.Status}}')).toBe(`${id} running`);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('five\n');
    expect(await leftovers()).toEqual([]);
  });

  it('finishes or undoes an update berth was killed in: a -next beside the container, a -prev alone', async () => {
    const id = await inspect('web', '{{.Id}}');
    const yaml = web('five', { port: Number(await portOf(id)) });
    // Killed during a start-first gate: a -next that never passed, beside the serving container.
    await docker(
      'create',
      '--name',
      name('web-next'),
      '--label',
      `berth.project=${project}`,
      '--label',
      'berth.kind=Container',
      '--label',
      'berth.name=web',
      TEST_IMAGE,
      'sleep',
      '60',
    );
    let run = await berth(['apply', '-f', '-', '-p', project], { stdin: yaml, env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(await leftovers()).toEqual([]);
    expect(await inspect('web', '{{.Id}} {{.State.Status}}')).toBe(`${id} running`);
    // Killed right after a stop-first update renamed the old container to -prev.
    await docker('stop', '-t', '1', name('web'));
    await docker('rename', name('web'), name('web-prev'));
    run = await berth(['apply', '-f', '-', '-p', project], { stdin: yaml, env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(await leftovers()).toEqual([]);
    expect(await inspect('web', '{{.Id}} {{.State.Status}}')).toBe(`${id} running`);
  });
});

async function portOf(id: string): Promise<string> {
  return docker(
    'inspect',
    '-f',
    '{{(index (index .HostConfig.PortBindings "8080/tcp") 0).HostPort}}',
    id,
  );
}
