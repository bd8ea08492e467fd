import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import {
  clusterEngine,
  onEngine,
  scratchDockerConfig,
  startSwarm,
  type Cluster,
} from '../support/cluster.js';
import { TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { eventually, killStrayBerths, spawnBerth } from './watch-support.js';

/**
 * The everyday verbs on `--backend swarm` against a real 3-node Swarm (scripts/cluster):
 * exec and cp into a task's container on its worker node, reached over tcp at the node's
 * advertised address (or its `berth.engine` label), status/get per replica, history, watch
 * (a folder change applied, a service scaled behind berth put back), and a clear refusal
 * for what this backend cannot do.
 */
const { work, dir, env, contexts } = scratchDockerConfig('swarm-verbs');
const project = uniqueProject('swv');
let cluster: Cluster | undefined;

const on = onEngine;
const manager = (...args: string[]) => on(1, ...args);
const swarm = (verb: string, ...args: string[]) =>
  berth([verb, '-p', project, '--backend', 'swarm', '--context', 'swarm', ...args], { env });
const WORKERS = ['dc2', 'dc3'];

/** The set: one service; with `conf`, a Config read from ./conf.txt mounted into it. */
function manifest(replicas: number, mode: string, conf?: string) {
  if (conf !== undefined) writeFileSync(join(dir, 'conf.txt'), conf);
  const config = `apiVersion: berth/v1
kind: Config
metadata: {name: conf}
spec: {file: ./conf.txt}
---
`;
  writeFileSync(
    join(dir, 'app.yaml'),
    `${conf === undefined ? '' : config}apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${TEST_IMAGE}
  replicas: ${replicas}
  command: [sh, -c, 'echo mode=${mode}${conf === undefined ? '' : ' conf=$$(cat /etc/conf.txt)'}; exec sleep 3600']
  stopGracePeriod: 1s
  update: {minReady: 0s}
  placement: {constraints: ["node.role==worker"]}
  mounts: [${conf === undefined ? '' : '{config: conf, target: /etc/conf.txt}'}]
`,
  );
}

/** The running replica slots of the service: `web.1` → node hostname. */
async function replicas(): Promise<Map<string, string>> {
  const out = await manager(
    'service',
    'ps',
    `${project}-web`,
    '--filter',
    'desired-state=running',
    '--format',
    '{{.Name}} {{.Node}} {{.CurrentState}}',
  );
  const rows = out.split('\n').filter((l) => / Running /.test(l));
  return new Map(rows.map((l) => l.split(' ') as [string, string]));
}

/** The container id of replica `slot` on the node it runs on. */
async function containerOf(slot: number): Promise<{ node: number; id: string }> {
  const node = (await replicas()).get(`${project}-web.${slot}`) ?? '';
  const i = Number(node.replace('dc', ''));
  const ps = await on(i, 'ps', '--no-trunc', '--format', '{{.ID}} {{.Names}}');
  const line = ps.split('\n').find((l) => l.includes(` ${project}-web.${slot}.`)) ?? '';
  return { node: i, id: line.split(' ')[0] ?? '' };
}

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  cluster = await startSwarm(TEST_IMAGE);
  await contexts('create', 'swarm', '--docker', `host=${clusterEngine(1)}`);
  // The manager through its unix socket: berth then cannot derive a node's tcp address.
  await contexts('create', 'swarm-unix', '--docker', 'host=unix:///run/dc1.sock');
  manifest(2, 'a');
}, 120_000);

afterAll(async () => {
  await killStrayBerths();
  await manager('node', 'update', '--label-rm', 'berth.engine', 'dc2').catch(() => undefined);
  await manager('service', 'rm', `${project}-web`).catch(() => undefined);
  const configs = await manager('config', 'ls', '-q', '--filter', `label=berth.project=${project}`)
    .then((out) => out.split('\n').filter(Boolean))
    .catch(() => []);
  if (configs.length) await manager('config', 'rm', ...configs).catch(() => undefined);
  await cluster?.down();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('--backend swarm: the everyday verbs', () => {
  it('exec runs in a task container on its worker node; its exit code is berth’s', async () => {
    const applied = await swarm('apply', '-f', dir);
    expect(applied.stdout).toContain('Container/web: 2/2 replicas running');
    expect(applied.code).toBe(0);
    for (const slot of [1, 2]) {
      const { node, id } = await containerOf(slot);
      expect(WORKERS).toContain(`dc${node}`);
      const r = await swarm('exec', `web.${slot}`, 'hostname');
      expect(r.stderr).toBe('');
      // A task's hostname is its container's short id, on the node that runs it.
      expect(r.stdout.trim()).toBe(id.slice(0, 12));
    }
    const first = await containerOf(1);
    expect((await swarm('exec', 'web', 'hostname')).stdout.trim()).toBe(first.id.slice(0, 12));
    expect((await swarm('exec', 'web.2', '--', 'sh', '-c', 'exit 7')).code).toBe(7);

    const noSlot = await swarm('exec', 'web.9', 'true');
    expect(noSlot.code).toBe(1);
    expect(noSlot.stderr).toContain('web has no replica 9 (it has 2)');
    const unknown = await swarm('exec', 'nosuch', 'true');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no service of project ${project} on the Swarm for nosuch`);
  });

  it('cp copies into and out of a task container on its node', async () => {
    writeFileSync(join(work, 'in.txt'), 'from the host\n');
    const into = await swarm('cp', join(work, 'in.txt'), 'web.2:/tmp/in.txt');
    expect(into.stderr).toBe('');
    expect(into.code).toBe(0);
    const { node, id } = await containerOf(2);
    expect(await on(node, 'exec', id, 'cat', '/tmp/in.txt')).toBe('from the host');
    await on(node, 'exec', id, 'sh', '-c', 'echo made on the node > /tmp/out.txt');
    const out = await swarm('cp', 'web.2:/tmp/out.txt', join(work, 'out.txt'));
    expect(out.code).toBe(0);
    expect(readFileSync(join(work, 'out.txt'), 'utf8')).toBe('made on the node\n');
    const missing = await swarm('cp', 'web.2:/no/such', join(work, 'x'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('web.2:/no/such: no such file or folder in the container');
  });

  it('get -o wide shows each replica on its node; history lists the Swarm applies', async () => {
    const get = await swarm('get', '-o', 'wide');
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/Container\/web\s+\S+-web\s+2\/2\s+yes\s+yes/);
    for (const slot of [1, 2])
      expect(get.stdout).toMatch(
        new RegExp(`^\\s+Container/web\\.${slot}\\s+dc[23]\\s+running\\s+current\\s+running`, 'm'),
      );
    const history = await swarm('history', '-o', 'json');
    expect(history.code).toBe(0);
    const entries = JSON.parse(history.stdout) as {
      outcome: string;
      message?: string;
      counts: { failed: number; created: number };
    }[];
    // Container/web and its project network.
    expect(entries[0]).toMatchObject({ outcome: 'converged', counts: { failed: 0, created: 2 } });
    expect(entries[0]?.message).toContain(`--backend swarm at ${clusterEngine(1)}`);
  });

  it('a node berth cannot locate is refused with E_NODE_UNREACHABLE; its berth.engine label fixes it', async () => {
    const viaUnix = (...args: string[]) =>
      berth(['exec', '-p', project, '--backend', 'swarm', '--context', 'swarm-unix', ...args], {
        env,
      });
    const slot = [...(await replicas())].find(([, node]) => node === 'dc2')?.[0].split('.')[1];
    expect(slot).toBeDefined();
    const refused = await viaUnix(`web.${slot}`, 'true');
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('node dc2 (10.231.0.12) runs the task');
    expect(refused.stderr).toContain(
      'docker node update --label-add berth.engine=tcp://HOST:PORT dc2',
    );
    await manager('node', 'update', '--label-add', `berth.engine=${clusterEngine(2)}`, 'dc2');
    const labelled = await viaUnix(`web.${slot}`, '--', 'sh', '-c', 'exit 3');
    expect(labelled.stderr).toBe('');
    expect(labelled.code).toBe(3);
  });

  it('verbs the Swarm backend has not are refused, changing nothing', async () => {
    const before = await manager(
      'service',
      'inspect',
      '-f',
      '{{.Version.Index}}',
      `${project}-web`,
    );
    const r = await swarm('restart', 'web');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('berth restart has no --backend swarm; it has: apply');
    expect(await manager('service', 'inspect', '-f', '{{.Version.Index}}', `${project}-web`)).toBe(
      before,
    );
  });

  it('watch applies a folder change, puts back a service scaled behind its back, rolls a changed config file out', async () => {
    const w = spawnBerth(
      ['watch', dir, '--backend', 'swarm', '--context', 'swarm', '-p', project, '--resync', '5m'],
      { ...env, BERTH_LOG_LEVEL: 'warn' },
    );
    const replicasNow = () =>
      manager('service', 'inspect', '-f', '{{.Spec.Mode.Replicated.Replicas}}', `${project}-web`);
    expect(await eventually(async () => w.stdout().includes('in sync'), 30_000)).toBe(true);
    manifest(1, 'b', 'first');
    expect(
      await eventually(
        async () => (await replicasNow()) === '1' && (await replicas()).size === 1,
        40_000,
      ),
    ).toBe(true);
    expect(w.stdout()).toMatch(/folder changed: app\.yaml/);
    expect(w.stdout()).toContain('Container/web: updated service (replicas 2 → 1)');

    await manager('service', 'scale', '-d', `${project}-web=3`);
    const putBack = await eventually(
      async () => w.stdout().includes('replicas 3 → 1, changed outside berth'),
      30_000,
    );
    expect(putBack, w.stdout() + w.stderr()).toBe(true);
    expect(await eventually(async () => (await replicasNow()) === '1', 30_000)).toBe(true);
    // The new task's first line may still be on its way under load: the logs are polled.
    let logs = '';
    const printed = await eventually(async () => {
      logs = (await swarm('logs')).stdout;
      return /^web \| mode=b conf=first$/m.test(logs);
    }, 20_000);
    expect(printed, logs).toBe(true);

    // Only the Config's file changes (no manifest does): a new config, the service rolled to
    // it, the old value removed. First the watch goes idle (the put-back's own service event
    // makes one more reconcile), so that nothing but the file change can read it.
    const idle = await eventually(async () => {
      const before = w.stdout();
      await new Promise((r) => setTimeout(r, 1_500));
      return before.endsWith('in sync\n') && w.stdout() === before;
    }, 30_000);
    expect(idle, w.stdout()).toBe(true);
    writeFileSync(join(dir, 'conf.txt'), 'second');
    const rolled = await eventually(async () => {
      logs = (await swarm('logs')).stdout;
      return /^web \| mode=b conf=second$/m.test(logs);
    }, 40_000);
    expect(rolled, w.stdout() + w.stderr() + logs).toBe(true);
    // Triggers that arrive during a reconcile make one more, naming them all.
    expect(w.stdout()).toMatch(/^reconcile \(.*referenced file changed: conf\.txt\)$/m);
    expect(w.stdout()).toContain('Config/conf: created config (new value)');
    expect(
      await eventually(async () => w.stdout().includes('Config/conf: removed config'), 20_000),
    ).toBe(true);
    const configs = await manager(
      'config',
      'ls',
      '--filter',
      `label=berth.project=${project}`,
      '-q',
    );
    expect(configs.split('\n')).toHaveLength(1);

    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(w.stdout()).toContain('stopped; the services stay as they are');
    expect(await replicasNow()).toBe('1');
  }, 120_000);
});
