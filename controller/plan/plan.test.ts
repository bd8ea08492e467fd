import { beforeEach, describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import { converge } from '../executor/converge.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { observeAndPlan } from '../observe.js';
import { formatPlan } from './plan-format.js';
import { plan } from './plan.js';

const IMAGE = 'localhost/berth-busybox:1';
const MANIFEST = `
apiVersion: berth/v1
kind: Network
metadata: {name: backend}
---
apiVersion: berth/v1
kind: Container
metadata: {name: db}
spec:
  image: ${IMAGE}
  networks: [backend]
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${IMAGE}
  state: paused
  env: {MODE: prod}
  networks: [{network: backend, aliases: [api]}]
  dependsOn: [{container: db, condition: started}]
`;

describe('plan (golden)', () => {
  let engine: MemoryEngine;
  const planText = async (yaml = MANIFEST, prune = false) =>
    formatPlan(
      (await observeAndPlan(engine, { project: 'demo', desired: await desiredFrom(yaml), prune }))
        .plan,
    );
  const apply = async (yaml = MANIFEST) =>
    converge(engine, {
      project: 'demo',
      desired: await desiredFrom(yaml),
      prune: true,
      parallel: 4,
      deadline: Date.now() + 10_000,
    });
  const containerId = async (name: string) =>
    (await engine.observe({ project: 'demo' })).containers.find((c) => c.name === `demo-${name}`)
      ?.id as string;

  beforeEach(() => {
    engine = new MemoryEngine({ now: () => 1_700_000_000_000 });
    engine.addImage(IMAGE);
  });

  it('an empty engine: everything is created, in dependency order', async () => {
    expect(await planText()).toBe(
      [
        '+ Network/backend  create        not created yet',
        '+ Container/db     create        not created yet',
        '~ Container/db     start         declared running',
        '+ Container/web    create        not created yet',
        '~ Container/web    start         declared paused',
        '~ Container/web    pause         declared paused',
        'Project demo: 3 to create, 0 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
  });

  it('after apply: no changes', async () => {
    expect((await apply()).result.ok).toBe(true);
    expect(await planText()).toBe('Project demo: no changes; the engine matches the manifests.\n');
  });

  it('drift made behind berth’s back, each with its cause', async () => {
    await apply();
    await engine.unpauseContainer(await containerId('web'));
    await engine.stopContainer(await containerId('db'), 1);
    expect(await planText()).toBe(
      [
        '~ Container/db   start         exited (exit code 0): stopped or died outside berth',
        '~ Container/web  pause         running, declared paused',
        'Project demo: 0 to create, 2 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
  });

  it('a project network connected by hand is disconnected; a foreign one is left (F124)', async () => {
    const spare = `${MANIFEST}---
apiVersion: berth/v1
kind: Network
metadata: {name: spare}
`;
    await apply(spare);
    await engine.connectNetwork('demo-spare', await containerId('db'), []);
    await engine.createNetwork({ name: 'proxy', labels: {}, driver: 'bridge' } as never);
    await engine.connectNetwork('proxy', await containerId('web'), []);
    expect(await planText(spare)).toBe(
      [
        '~ Container/db  disconnect spare  attached to undeclared network spare',
        'Project demo: 0 to create, 1 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
    expect((await apply(spare)).result.ok).toBe(true);
    expect(await planText(spare)).toBe(
      'Project demo: no changes; the engine matches the manifests.\n',
    );
  });

  it("a container in another's network namespace has no attachments to repair (F222, Podman)", async () => {
    const joined = `${MANIFEST}---
apiVersion: berth/v1
kind: Container
metadata: {name: side}
spec: {image: ${IMAGE}, state: created, networkMode: "container:db"}
`;
    await apply(joined);
    const desired = await desiredFrom(joined);
    const observed = await engine.observe({ project: 'demo' });
    // What Podman 4.3.1 lists for it: the joined container's networks, and no network mode.
    const asPodman = {
      ...observed,
      containers: observed.containers.map((c) =>
        c.name === 'demo-side'
          ? { ...c, networks: ['demo-backend'], joinedNetworkOf: undefined }
          : c,
      ),
    };
    const text = formatPlan(
      plan({ project: 'demo', desired, observed: asPodman, hostPaths: new Map(), prune: false }),
    );
    expect(text).toBe('Project demo: no changes; the engine matches the manifests.\n');
  });

  it('a network removed behind stopped containers’ backs recreates them (issue 19 item 3)', async () => {
    await apply();
    const desired = await desiredFrom(MANIFEST);
    const observed = await engine.observe({ project: 'demo' });
    // What the engine reports then: no network, endpoints still naming the old network's id.
    const stale = {
      ...observed,
      networks: [],
      containers: observed.containers.map((c) => ({
        ...c,
        state: 'exited' as const,
        exitCode: 0,
        networkIds: { 'demo-backend': 'removed-network-id' },
      })),
    };
    const text = formatPlan(
      plan({ project: 'demo', desired, observed: stale, hostPaths: new Map(), prune: false }),
    );
    expect(text).toMatch(/\+ Network\/backend +create/);
    expect(text).toMatch(/Container\/db +remove +network backend was removed outside berth/);
    expect(text).toMatch(/Container\/web +remove +network backend was removed outside berth/);
  });

  it('a spec change recreates and names the field; a change of state alone does not', async () => {
    await apply();
    const changed = MANIFEST.replace('MODE: prod', 'MODE: dev').replace(
      'state: paused',
      'state: running',
    );
    expect(await planText(changed)).toBe(
      [
        '~ Container/web  stop          spec changed: env',
        '~ Container/web  remove        spec changed: env',
        '~ Container/web  create        spec changed: env',
        '~ Container/web  start         declared running',
        'Project demo: 0 to create, 1 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
    const stateOnly = MANIFEST.replace('state: paused', 'state: running');
    expect(await planText(stateOnly)).toBe(
      [
        '~ Container/web  unpause       paused outside berth',
        'Project demo: 0 to create, 1 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
  });

  it('prune lists owned objects no longer declared, containers first', async () => {
    await apply();
    const onlyNetwork = MANIFEST.split('---')[0] as string;
    expect(await planText(onlyNetwork, true)).toBe(
      [
        '- Container/db   stop          not declared any more',
        '- Container/db   remove        not declared any more',
        '- Container/web  stop          not declared any more',
        '- Container/web  remove        not declared any more',
        'Project demo: 0 to create, 0 to change, 2 to delete.',
        '',
      ].join('\n'),
    );
  });
});

describe('plan causes', () => {
  it('moving a bind mount’s host path recreates its containers and says mounts changed', async () => {
    const engine = new MemoryEngine();
    engine.addImage(IMAGE);
    const yaml = (path: string) => `
apiVersion: berth/v1
kind: BindMount
metadata: {name: site}
spec: {hostPath: ${path}, type: DirectoryOrCreate}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${IMAGE}
  mounts: [{bindMount: site, target: /srv}]
`;
    const base = `/tmp/berth-plan-${process.pid}`;
    const desired = await desiredFrom(yaml(`${base}/a`));
    expect(
      (
        await converge(engine, {
          project: 'm',
          desired,
          prune: false,
          parallel: 2,
          deadline: Date.now() + 5000,
        })
      ).result.ok,
    ).toBe(true);
    const moved = await observeAndPlan(engine, {
      project: 'm',
      desired: await desiredFrom(yaml(`${base}/b`)),
      prune: false,
    });
    expect(formatPlan(moved.plan)).toMatch(
      // A writable bind mount is held by the running container (F185): stop-first.
      /~ Container\/web +rename +spec changed: mounts \(stop-first: bind mount site is written/,
    );
  });
});
