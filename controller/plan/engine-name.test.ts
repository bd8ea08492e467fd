import { beforeEach, describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import { converge } from '../executor/converge.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { LABEL } from '../labels.js';
import { observeAndPlan } from '../observe.js';
import { containerCreateRequest } from './container-request.js';
import { formatPlan } from './plan-format.js';

// F134: an owned Network or Volume with `spec.name` lives on the engine under exactly that
// name, labelled and owned by berth as under `<project>-<name>`.

const IMAGE = 'localhost/berth-busybox:1';
const set = (netName = 'shared-net', volName = 'media-data') => `
apiVersion: berth/v1
kind: Network
metadata: {name: public}
spec: {name: ${netName}}
---
apiVersion: berth/v1
kind: Volume
metadata: {name: data}
spec: {name: ${volName}, retain: false}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${IMAGE}
  networks: [{network: public, aliases: [www]}]
  mounts: [{volume: data, target: /data}]
`;

describe('spec.name of an owned network or volume (F134)', () => {
  let engine: MemoryEngine;
  const project = 'demo';
  const planOf = async (yaml: string, prune = false) =>
    (await observeAndPlan(engine, { project, desired: await desiredFrom(yaml), prune })).plan;
  const apply = async (yaml: string, prune = true) =>
    converge(engine, {
      project,
      desired: await desiredFrom(yaml),
      prune,
      parallel: 4,
      deadline: Date.now() + 10_000,
    });
  const engineObjects = async () =>
    engine.lookupNames({
      containers: ['demo-web'],
      networks: ['shared-net', 'other-net', 'demo-public'],
      volumes: ['media-data', 'demo-data'],
    });

  beforeEach(() => {
    engine = new MemoryEngine({ now: () => 1_700_000_000_000 });
    engine.addImage(IMAGE);
  });

  it('creates, attaches and mounts them under that name, owned; a second plan is empty', async () => {
    const first = await planOf(set());
    expect(first.objects.find((p) => p.key === 'Network/public')?.engineName).toBe('shared-net');
    expect(first.objects.find((p) => p.key === 'Volume/data')?.engineName).toBe('media-data');
    expect((await apply(set())).result.ok).toBe(true);
    const found = await engineObjects();
    expect(found.networks.map((n) => n.name)).toEqual(['shared-net']);
    expect(found.volumes.map((v) => v.name)).toEqual(['media-data']);
    expect(found.networks[0]?.labels).toMatchObject({
      [LABEL.project]: project,
      [LABEL.kind]: 'Network',
      [LABEL.name]: 'public',
    });
    expect(found.volumes[0]?.labels).toMatchObject({
      [LABEL.name]: 'data',
      [LABEL.kind]: 'Volume',
    });
    expect(found.containers[0]?.networks).toEqual(['shared-net']);
    expect(formatPlan(await planOf(set()))).toBe(
      'Project demo: no changes; the engine matches the manifests.\n',
    );
  });

  it('the container request mounts and attaches the engine names', async () => {
    const desired = await desiredFrom(set());
    const web = desired.find((o) => o.kind === 'Container');
    if (web?.kind !== 'Container') throw new Error('no container');
    const request = containerCreateRequest(web, project, desired, '/tmp/files');
    expect(request.networks.map((n) => n.name)).toEqual(['shared-net']);
    expect(request.mounts).toMatchObject([{ type: 'volume', source: 'media-data' }]);
  });

  it('a foreign network or volume under that name is a conflict; nothing is changed', async () => {
    await engine.createNetwork({ name: 'shared-net', driver: 'bridge', labels: {} } as never);
    await engine.createVolume({
      name: 'media-data',
      driver: 'local',
      labels: { [LABEL.project]: 'elsewhere', [LABEL.name]: 'data', [LABEL.kind]: 'Volume' },
    } as never);
    const p = await planOf(set());
    expect(p.conflicts.map((c) => `${c.key} ${c.engineName}`).sort()).toEqual([
      'Network/public shared-net',
      'Volume/data media-data',
    ]);
    const before = engine.mutatingCalls();
    const { result } = await apply(set());
    expect(result.ok).toBe(false);
    expect(engine.mutatingCalls()).toBe(before);
  });

  it('two declared objects under one engine name are a conflict naming both; neither is created (F173)', async () => {
    const clash = `${set('demo-public2')}---
apiVersion: berth/v1
kind: Network
metadata: {name: public2}
`;
    const p = await planOf(clash);
    expect(p.conflicts.map((c) => `${c.key}: ${c.message}`).sort()).toEqual([
      'Network/public2: the engine name demo-public2 is also the name of Network/public; give one of them another spec.name',
      'Network/public: the engine name demo-public2 is also the name of Network/public2; give one of them another spec.name',
    ]);
    const { result } = await apply(clash);
    expect(result.ok).toBe(false);
    const found = await engine.lookupNames({
      containers: ['demo-web'],
      networks: ['demo-public2'],
      volumes: [],
    });
    expect([...found.networks, ...found.containers]).toEqual([]);
  });

  it('a changed network name recreates the network and moves its containers', async () => {
    await apply(set());
    const text = formatPlan(await planOf(set('other-net')));
    expect(text).toContain('~ Network/public  disconnect web');
    expect(text).toContain('~ Network/public  remove');
    expect(text).toContain('~ Network/public  create');
    expect(text).toContain('~ Network/public  connect web');
    expect(text).not.toContain('Container/web');
    expect((await apply(set('other-net'))).result.ok).toBe(true);
    const found = await engineObjects();
    expect(found.networks.map((n) => n.name)).toEqual(['other-net']);
    expect(found.containers[0]?.networks).toEqual(['other-net']);
  });

  it('a name changed to one a foreign network holds is a conflict, not a recreate onto it', async () => {
    await apply(set());
    await engine.createNetwork({ name: 'other-net', driver: 'bridge', labels: {} } as never);
    const p = await planOf(set('other-net'));
    expect(p.conflicts.map((c) => `${c.key} ${c.engineName}`)).toEqual([
      'Network/public other-net',
    ]);
  });

  it('a changed volume name is not acted on: the data stays, plan says why', async () => {
    await apply(set());
    const p = await planOf(set('shared-net', 'new-data'));
    const volume = p.objects.find((o) => o.key === 'Volume/data');
    expect(volume?.steps).toEqual([]);
    expect(volume?.reason).toMatch(
      /^engine name changed: media-data → new-data; berth does not replace volumes/,
    );
  });

  it('prune and a network named the old way: removed by id, named by their engine names', async () => {
    await apply(set());
    const p = await planOf(`apiVersion: berth/v1\nkind: Network\nmetadata: {name: other}\n`, true);
    const gone = p.objects
      .filter((o) => o.desired === 'absent')
      .map((o) => `${o.key} ${o.engineName}`);
    expect(gone).toEqual([
      'Container/web demo-web',
      'Network/public shared-net',
      'Volume/data media-data',
    ]);
    expect(
      (await apply(`apiVersion: berth/v1\nkind: Network\nmetadata: {name: other}\n`)).result.ok,
    ).toBe(true);
    const found = await engineObjects();
    expect([...found.networks, ...found.volumes, ...found.containers]).toEqual([]);
  });

  it('the project default network may be named too', async () => {
    const yaml = `apiVersion: berth/v1\nkind: Network\nmetadata: {name: default}\nspec: {name: shared-net}\n---\napiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec: {image: ${IMAGE}}\n`;
    expect((await apply(yaml)).result.ok).toBe(true);
    expect((await engineObjects()).containers[0]?.networks).toEqual(['shared-net']);
    expect(formatPlan(await planOf(yaml))).toContain('no changes');
  });
});
