import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * `--backend swarm` against a real Swarm: three dockerd from scripts/cluster joined into a
 * Swarm (dc1 the manager), reached through a Docker context made in a scratch DOCKER_CONFIG.
 * No IPVS here: services are dnsrr and publish in host mode (ENGINE-NOTES.md).
 */
const { work, dir, env, contexts } = scratchDockerConfig('swarm');
const project = uniqueProject('swarm');
const NEXT_IMAGE = 'localhost/berth-busybox:swarm-next';
const FOREIGN = `${project}-foreign`;
const PORT = 18080;
/** 51 characters: `<it>-web` and `-backend` fit a Swarm's 63, `-site-<12 hex>` not its 64. */
const LONG_PROJECT = `${project}-${'x'.repeat(50 - project.length)}`;
let cluster: Cluster | undefined;

const on = onEngine;
const manager = (...args: string[]) => on(1, ...args);
const listed = (what: 'service' | 'secret' | 'config' | 'network', owner = project) =>
  manager(what, 'ls', '--filter', `label=berth.project=${owner}`, '--format', '{{.Name}}').then(
    (out) => out.split('\n').filter(Boolean).sort(),
  );
/** docker inspect output, read field by field as the assertions need. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Inspected = Record<string, any>;
const inspect = async (what: string, name: string) =>
  JSON.parse(await manager(what, 'inspect', name))[0] as Inspected;

function manifests(o: {
  replicas: number;
  image: string;
  mode: string;
  secret: string;
  config: string;
}) {
  writeFileSync(join(dir, 'pw.txt'), o.secret);
  writeFileSync(join(dir, 'site.conf'), o.config);
  writeFileSync(
    join(dir, 'app.yaml'),
    `apiVersion: berth/v1
kind: Network
metadata: {name: backend}
spec: {driver: overlay}
---
apiVersion: berth/v1
kind: Secret
metadata: {name: db-password}
spec: {file: ./pw.txt}
---
apiVersion: berth/v1
kind: Config
metadata: {name: site, labels: {team: web}}
spec: {file: ./site.conf}
---
apiVersion: berth/v1
kind: Config
metadata: {name: motd}
spec: {content: "hello from content"}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web, labels: {tier: front}}
spec:
  image: ${o.image}
  replicas: ${o.replicas}
  command: [sh, -c]
  args: ["mkdir -p /www && echo ok > /www/index.html && echo mode=$$MODE secret-bytes=$$(wc -c < /run/secrets/db-password) site=$$(cat /etc/site.conf) motd=$$(cat /etc/motd) files=$$(stat -c %a:%u:%g /etc/site.conf),$$(stat -c %a:%u:%g /etc/motd) && httpd -f -p 8080 -h /www"]
  env: {MODE: ${o.mode}}
  networks: [backend]
  ports: ["${PORT}:8080"]
  stopGracePeriod: 1s
  healthcheck: {command: [CMD, "true"], interval: 1s, timeout: 1s, retries: 2}
  update: {minReady: 1s}
  placement: {constraints: ["node.role!=nobody"]}
  mounts:
    - {secret: db-password, target: /run/secrets/db-password}
    - {config: site, target: /etc/site.conf, mode: "0440", uid: 1000, gid: 1001}
    - {config: motd, target: /etc/motd}
    - {tmpfs: /scratch}
`,
  );
}

const swarm = (verb: string, ...args: string[]) =>
  berth([verb, ...args, '-p', project, '--backend', 'swarm', '--context', 'swarm'], { env });

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  cluster = await startSwarm(TEST_IMAGE);
  await contexts('create', 'swarm', '--docker', `host=${clusterEngine(1)}`);
  // The "new image" of the rolling update: another name for the test image on every node.
  for (const i of [1, 2, 3]) await on(i, 'tag', TEST_IMAGE, NEXT_IMAGE);
  // Something berth does not own, on the same manager, with the project's name prefix.
  await manager(
    'service',
    'create',
    '-d',
    '--no-resolve-image',
    '--name',
    FOREIGN,
    TEST_IMAGE,
    'sleep',
    '600',
  );
}, 120_000);

afterAll(async () => {
  for (const owner of [project, LONG_PROJECT])
    for (const what of ['service', 'secret', 'config', 'network'] as const) {
      const names = await listed(what, owner).catch(() => []);
      if (names.length) await manager(what, 'rm', ...names).catch(() => undefined);
    }
  await manager('service', 'rm', FOREIGN).catch(() => undefined);
  await cluster?.down();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

/** Polls `read` until `ok` holds (or 20 s pass) and returns the last value. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let value = await read();
  for (let t = 0; t < 80 && !ok(value); t++) {
    await new Promise((r) => setTimeout(r, 250));
    value = await read();
  }
  return value;
}

describe('--backend swarm', () => {
  it('applies a service with 2 replicas, an overlay network, a secret and two configs', async () => {
    manifests({ replicas: 2, image: TEST_IMAGE, mode: 'a', secret: 'hunter2', config: 'one' });
    const r = await swarm('apply', '-f', dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Container/web: 2/2 replicas running');
    expect(await listed('service')).toEqual([`${project}-web`]);
    const service = await inspect('service', `${project}-web`);
    expect(service.Spec.Labels).toMatchObject({
      'berth.project': project,
      'berth.kind': 'Container',
      'berth.name': 'web',
      tier: 'front',
    });
    expect(service.Spec.Mode.Replicated.Replicas).toBe(2);
    expect(service.Spec.EndpointSpec.Mode).toBe('dnsrr');
    expect(service.Spec.EndpointSpec.Ports[0]).toMatchObject({
      PublishMode: 'host',
      PublishedPort: PORT,
    });
    expect(service.Spec.TaskTemplate.Placement.Constraints).toEqual(['node.role!=nobody']);
    expect(service.Spec.TaskTemplate.RestartPolicy.Condition).toBe('any');
    expect(service.Spec.UpdateConfig).toMatchObject({
      Order: 'stop-first',
      FailureAction: 'rollback',
    });
    const network = await inspect('network', `${project}-backend`);
    expect(network).toMatchObject({ Driver: 'overlay', Attachable: true, Scope: 'swarm' });
    expect(network.Labels['berth.kind']).toBe('Network');
    const [secret] = await listed('secret');
    expect(secret).toMatch(new RegExp(`^${project}-db-password-[0-9a-f]{12}$`));
    // Configs: one Swarm config per value (file source and content source), berth's labels
    // and the Config's own, each mounted at its target with its mode and owner.
    const configs = await listed('config');
    expect(configs).toEqual([
      expect.stringMatching(new RegExp(`^${project}-motd-[0-9a-f]{12}$`)),
      expect.stringMatching(new RegExp(`^${project}-site-[0-9a-f]{12}$`)),
    ]);
    const site = await inspect('config', configs[1] ?? '');
    expect(site.Spec.Labels).toEqual({
      'berth.project': project,
      'berth.kind': 'Config',
      'berth.name': 'site',
      'berth.spec-hash': expect.stringMatching(/^sha256:[0-9a-f]{16}$/),
      team: 'web',
    });
    expect(Buffer.from(site.Spec.Data, 'base64').toString()).toBe('one');
    expect(service.Spec.TaskTemplate.ContainerSpec.Configs).toEqual([
      expect.objectContaining({
        ConfigName: configs[1],
        File: { Name: '/etc/site.conf', UID: '1000', GID: '1001', Mode: 0o440 },
      }),
      expect.objectContaining({
        ConfigName: configs[0],
        File: { Name: '/etc/motd', UID: '0', GID: '0', Mode: 0o444 },
      }),
    ]);
    // The secret is mounted (7 bytes), never printed; the configs' content is at their
    // targets in every task; a task answers on its node's host port.
    const logs = await swarm('logs');
    const line =
      /^web \| mode=a secret-bytes=7 site=one motd=hello from content files=440:1000:1001,444:0:0$/gm;
    expect(logs.stdout.match(line)).toHaveLength(2);
    expect(logs.stdout).not.toContain('hunter2');
    const nodes = (await manager('service', 'ps', `${project}-web`, '--format', '{{.Node}}')).split(
      '\n',
    );
    const ip = clusterEngine(Number(nodes[0]?.replace('dc', ''))).replace(/^tcp:\/\/|:2375$/g, '');
    const page = await fetch(`http://${ip}:${PORT}/`).then((res) => res.text());
    expect(page).toBe('ok\n');
  });

  it('a second apply of the same set makes no update call', async () => {
    const before = (await inspect('service', `${project}-web`)).Version.Index;
    const r = await swarm('apply', '-f', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Container/web: unchanged');
    expect(r.stdout).toContain('Config/site: unchanged');
    expect(r.stdout).toContain('Config/motd: unchanged');
    expect(r.stdout).not.toMatch(/created|updated|removed/);
    expect((await inspect('service', `${project}-web`)).Version.Index).toBe(before);
  });

  it('scales to 3; status shows the replicas per task, and each secret and config', async () => {
    manifests({ replicas: 3, image: TEST_IMAGE, mode: 'a', secret: 'hunter2', config: 'one' });
    const r = await swarm('apply', '-f', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Container/web: updated service (replicas 2 → 3)');
    const status = await swarm('status', '-o', 'json');
    expect(status.code).toBe(0);
    const web = JSON.parse(status.stdout).services[0];
    expect(web).toMatchObject({
      key: 'Container/web',
      desiredReplicas: 3,
      runningReplicas: 3,
      ready: true,
    });
    const running = web.tasks.filter((t: { state: string }) => t.state === 'running');
    expect(new Set(running.map((t: { node: string }) => t.node)).size).toBe(3);
    const configs = await listed('config');
    expect(JSON.parse(status.stdout).secretsAndConfigs).toEqual([
      { key: 'Config/motd', name: configs[0], inSync: true },
      { key: 'Config/site', name: configs[1], inSync: true },
      { key: 'Secret/db-password', name: (await listed('secret'))[0], inSync: true },
    ]);
    const table = await swarm('status');
    expect(table.stdout).toMatch(/Container\/web\s+\S+-web\s+3\/3\s+yes\s+yes/);
    expect(table.stdout).toMatch(/^Config\/site\s+\S+-site-[0-9a-f]{12}\s+-\s+yes\s+yes\s+-$/m);
    // get KIND: that kind's rows only; with -f, against the declared value.
    const get = await swarm('get', 'config', '-f', dir);
    expect(get.code).toBe(0);
    expect(get.stdout.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(/^Config\/site\s+/),
      expect.stringMatching(/^Config\/motd\s+/),
    ]);
  });

  it('rolls a new image, env, secret and config value out to every replica', async () => {
    const [oldSite] = (await listed('config')).filter((n) => n.includes('-site-'));
    manifests({
      replicas: 3,
      image: NEXT_IMAGE,
      mode: 'b',
      secret: 'longer-secret',
      config: 'two',
    });
    // Declared, not applied yet: status names the config whose value is not on the Swarm.
    const pending = await swarm('status', '-f', dir);
    expect(pending.code).toBe(3);
    expect(pending.stdout).toMatch(
      /^Config\/site\s+\S+-site-[0-9a-f]{12}\s+-\s+no\s+no\s+value changed: apply to roll it out$/m,
    );
    expect(pending.stdout).toMatch(/^Config\/motd\s+\S+\s+-\s+yes\s+yes\s+-$/m);
    const r = await swarm('apply', '-f', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Secret/db-password: created secret');
    expect(r.stdout).toContain('Config/site: created config (new value)');
    expect(r.stdout).toContain('Config/motd: unchanged');
    expect(r.stdout).toContain('Container/web: updated service (spec changed (rolling update))');
    expect(r.stdout).toMatch(/Secret\/db-password: removed secret \S+ \(an older value\)/);
    expect(r.stdout).toContain(`Config/site: removed config ${oldSite} (an older value)`);
    const service = await inspect('service', `${project}-web`);
    expect(service.Spec.TaskTemplate.ContainerSpec.Image).toBe(NEXT_IMAGE);
    expect(service.UpdateStatus?.State).toBe('completed');
    expect(await listed('secret')).toHaveLength(1);
    const configs = await listed('config');
    expect(configs).toHaveLength(2);
    expect(configs).not.toContain(oldSite);
    const logs = await swarm('logs');
    expect(
      logs.stdout.match(/mode=b secret-bytes=13 site=two motd=hello from content/g),
    ).toHaveLength(3);
    expect((await swarm('status', '-f', dir)).code).toBe(0);
  });

  it('a task that cannot start is the reason status gives', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `apiVersion: berth/v1\nkind: Container\nmetadata: {name: broken}\nspec:\n  image: localhost/berth-no-such-image:1\n  networks: [backend]\n`,
    );
    const r = await swarm('apply', '-f', dir, '--timeout', '8s');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /Container\/broken: 0\/1 replicas running; failed: .*task (rejected|failed)/,
    );
    const status = await swarm('status', '-f', dir);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(
      /Container\/broken\s+\S+\s+0\/1\s+yes\s+no\s+0\/1 replicas running; task \w+: .*image/i,
    );
    rmSync(bad);
    const pruned = await swarm('apply', '-f', dir, '--prune');
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`Container/broken: removed service ${project}-broken`);
  });

  it('a project whose secret and config names the Swarm would refuse changes nothing', async () => {
    const r = await berth(
      // A short timeout: an apply that started would wait for services it could not create.
      [
        'apply',
        '-f',
        dir,
        '-p',
        LONG_PROJECT,
        '--backend',
        'swarm',
        '--context',
        'swarm',
        '--timeout',
        '10s',
      ],
      { env },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /app\.yaml:\d+:\d+: Config "site": its Swarm config name \S+-site-[0-9a-f]{12} has 69 characters; a Swarm allows 64 .*\[E_NAME\]/,
    );
    expect(r.stderr).toContain('Secret "db-password"');
    expect(r.stderr).not.toContain('Container "web"');
    const left = await manager(
      'network',
      'ls',
      '-q',
      '--filter',
      `label=berth.project=${LONG_PROJECT}`,
    );
    expect(left).toBe('');
  });

  it('delete leaves nothing of the project on any node, and the foreign service', async () => {
    const r = await swarm('delete', '-f', dir);
    expect(r.code).toBe(0);
    expect(await listed('service')).toEqual([]);
    expect(await listed('secret')).toEqual([]);
    expect(await listed('config')).toEqual([]);
    expect(await listed('network')).toEqual([]);
    for (const i of [1, 2, 3]) {
      const left = await eventually(
        () => on(i, 'ps', '-aq', '--filter', `label=berth.project=${project}`),
        (out) => out === '',
      );
      expect(left).toBe('');
    }
    expect(await manager('service', 'ls', '--format', '{{.Name}}')).toContain(FOREIGN);
  });
});
