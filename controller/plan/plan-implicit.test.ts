import { beforeEach, describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import { converge } from '../executor/converge.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { observeAndPlan } from '../observe.js';
import { containerCreateRequest } from './container-request.js';
import { formatPlan } from './plan-format.js';

const IMAGE = 'localhost/berth-busybox:1';
const web = (replicas: number) => `
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${IMAGE}
  replicas: ${replicas}
---
apiVersion: berth/v1
kind: Container
metadata: {name: client}
spec:
  image: ${IMAGE}
  networks: [own]
  dependsOn: [{container: web}]
---
apiVersion: berth/v1
kind: Network
metadata: {name: own}
`;

describe('replicas and the default network (memory engine)', () => {
  let engine: MemoryEngine;
  const planText = async (yaml: string) =>
    formatPlan(
      (
        await observeAndPlan(engine, {
          project: 'demo',
          desired: await desiredFrom(yaml),
          prune: false,
        })
      ).plan,
    );
  const apply = async (yaml: string) =>
    converge(engine, {
      project: 'demo',
      desired: await desiredFrom(yaml),
      prune: false,
      parallel: 4,
      deadline: Date.now() + 10_000,
    });
  const names = async () =>
    (await engine.observe({ project: 'demo' })).containers.map((c) => c.name).sort();

  beforeEach(() => {
    engine = new MemoryEngine({ now: () => 1_700_000_000_000 });
    engine.addImage(IMAGE);
  });

  it('expands replicas into instances that wait for nothing but their resources', async () => {
    const desired = await desiredFrom(web(3));
    expect(desired.map((o) => `${o.kind}/${o.name}`)).toEqual([
      'Network/default',
      'Container/web-1',
      'Container/web-2',
      'Container/web-3',
      'Container/client',
      'Network/own',
    ]);
    const client = desired.find((o) => o.name === 'client');
    expect(client?.kind === 'Container' && client.spec.dependsOn.map((d) => d.container)).toEqual([
      'web-1',
      'web-2',
      'web-3',
    ]);
    // The declared name is an alias of every instance, set by the create request (not part
    // of the spec, so an instance hashes as the container does at any scale).
    const second = desired.find((o) => o.name === 'web-2');
    if (second?.kind !== 'Container') throw new Error('no web-2');
    expect(second.spec.networks).toEqual([{ network: 'default', aliases: [] }]);
    expect(containerCreateRequest(second, 'demo', desired).networks[0]?.aliases).toEqual([
      'web-2',
      'web',
    ]);
    const single = (await desiredFrom(web(1))).find((o) => o.name === 'web');
    expect(single?.specHash).toBe(second.specHash);
  });

  it('scales 1 → 3 → 2 → 1 without --prune and leaves no orphan, nor the default network once unused', async () => {
    expect((await apply(web(1))).result.ok).toBe(true);
    expect(await names()).toEqual(['demo-client', 'demo-web']);
    expect((await apply(web(3))).result.ok).toBe(true);
    expect(await names()).toEqual(['demo-client', 'demo-web-1', 'demo-web-2', 'demo-web-3']);
    expect(await planText(web(2))).toBe(
      [
        '- Container/web-3  stop          not declared any more',
        '- Container/web-3  remove        not declared any more',
        'Project demo: 0 to create, 0 to change, 1 to delete.',
        '',
      ].join('\n'),
    );
    expect((await apply(web(2))).result.ok).toBe(true);
    expect((await apply(web(1))).result.ok).toBe(true);
    expect(await names()).toEqual(['demo-client', 'demo-web']);
    expect(await planText(web(1))).toBe(
      'Project demo: no changes; the engine matches the manifests.\n',
    );
    const noDefault = web(1).replace(`replicas: 1`, 'networks: [own]');
    expect((await apply(noDefault)).result.ok).toBe(true);
    const networks = (await engine.observe({ project: 'demo' })).networks.map((n) => n.name);
    expect(networks).toEqual(['demo-own']);
  });
});
