import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import {
  clusterEngine,
  scratchDockerConfig,
  startCluster,
  type Cluster,
} from '../support/cluster.js';
import { cleanupProject, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { ENGINE_HOST } from '../support/engine.js';
import { gatedYaml } from '../support/manifests.js';
import { eventually, killStrayBerths, spawnBerth } from './watch-support.js';

const run = promisify(execFile);

/**
 * FINDINGS F3 across contexts (DESIGN.md "Several engines"): Ctrl-C while updates wait for
 * their gates on two engines — the host's and a cluster engine reached through a context —
 * undoes each update as on one engine: every `-next` removed, the old containers untouched;
 * `interrupted`, history `interrupted`, exit 130.
 */
const { work, dir, env, contexts } = scratchDockerConfig('across-int');
const project = uniqueProject('acrint');
const HOST = ENGINE_HOST;
let cluster: Cluster | undefined;

const on = (host: string, ...args: string[]) =>
  run('docker', ['-H', host, ...args]).then((r) => r.stdout.trim());
const inspect = (host: string, format: string, name: string) =>
  on(host, 'inspect', '-f', format, name).catch(() => 'absent');
const names = (host: string) =>
  on(host, 'ps', '-a', '--filter', `label=berth.project=${project}`, '--format', '{{.Names}}')
    .then((out) => out.split('\n').filter(Boolean).sort())
    .catch(() => []);

/** `svc` on berth's own engine, `edge` on context dc1; version 2 never passes its gate. */
const set = (version: number) =>
  [
    gatedYaml('svc', version, 'start-first'),
    gatedYaml('edge', version, 'start-first', '  placement: {context: dc1}\n'),
  ].join('---\n');

beforeAll(async () => {
  mkdirSync(dir);
  cluster = await startCluster(TEST_IMAGE);
  await contexts('create', 'dc1', '--docker', `host=${clusterEngine(1)}`);
}, 120_000);

afterAll(async () => {
  await killStrayBerths();
  const far = await names(clusterEngine(1));
  if (far.length) await on(clusterEngine(1), 'rm', '-f', ...far).catch(() => undefined);
  const nets = await on(
    clusterEngine(1),
    ...['network', 'ls', '-q', '--filter', `label=berth.project=${project}`],
  ).catch(() => '');
  if (nets) await on(clusterEngine(1), 'network', 'rm', ...nets.split('\n')).catch(() => '');
  await cleanupProject(project);
  await cluster?.down();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('Ctrl-C during an apply across contexts', () => {
  it('undoes the gated update on every engine, keeps the old containers, exits 130', async () => {
    writeFileSync(join(dir, 'app.yaml'), set(1));
    const first = await berth(['apply', '-f', dir, '-p', project, '--wait'], { env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const engines = [
      { host: HOST, name: `${project}-svc` },
      { host: clusterEngine(1), name: `${project}-edge` },
    ];
    const oldIds = await Promise.all(engines.map((e) => inspect(e.host, '{{.Id}}', e.name)));

    writeFileSync(join(dir, 'app.yaml'), set(2));
    const apply = spawnBerth(['apply', '-f', dir, '-p', project], env);
    // Both updates in their gates: each new container runs as -next beside the old one.
    const gating = async () => {
      for (const e of engines)
        if ((await inspect(e.host, '{{.State.Status}}', `${e.name}-next`)) !== 'running')
          return false;
      return true;
    };
    expect(await eventually(gating, 60_000), apply.stderr()).toBe(true);
    await new Promise((r) => setTimeout(r, 1_000));
    const signalled = Date.now();
    apply.child.kill('SIGINT');
    expect(await apply.exited, apply.stdout() + apply.stderr()).toBe(130);
    expect(Date.now() - signalled).toBeLessThan(10_000);

    const out = apply.stdout();
    expect(out).toMatch(/^interrupted: /m);
    expect(out).toMatch(/^ {2}unfinished update undone: .*Container\/svc\b/m);
    expect(out).toMatch(/^ {2}unfinished update undone: .*Container\/edge@dc1/m);
    expect(await names(HOST)).toEqual([`${project}-svc`]);
    expect(await names(clusterEngine(1))).toEqual([`${project}-edge`]);
    for (const [i, e] of engines.entries()) {
      expect(await inspect(e.host, '{{.Id}}', e.name)).toBe(oldIds[i]);
      expect(await inspect(e.host, '{{.State.Status}}', e.name)).toBe('running');
      expect(await inspect(e.host, '{{json .Config.Env}}', e.name)).toContain('V=1');
    }
    const history = await berth(['history', '-p', project, '-o', 'json'], { env });
    expect((JSON.parse(history.stdout) as { outcome: string }[])[0]?.outcome).toBe('interrupted');
  }, 180_000);
});
