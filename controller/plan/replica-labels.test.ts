import { beforeEach, describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import type { ObservedContainer } from '../engine/engine.js';
import { containerCreateRequest } from './container-request.js';
import { nameRepairSteps } from './name-repairs.js';
import { recoverySteps } from './recovery-steps.js';
import { apiAndGateway as api, IMAGE, scaleProject } from './testing/scale-fixture.js';

/**
 * F86: every replica carries `berth.name=<name>` and `berth.replica=<i>`; replicas made with
 * the labels of F26 (replica 1 as a single container, 2..N as `berth.name=<name>-<i>`) keep
 * working: nothing recreated, duplicated or orphaned on upgrade.
 */

const OTHER = 'localhost/berth-busybox:2';
const NO_CHANGES = 'Project p: no changes; the engine matches the manifests.\n';

/** The labels berth gave a replica between F26 and F86. */
function f26Labels(labels: Record<string, string>): Record<string, string> {
  const { 'berth.replica': replica, ...rest } = labels;
  if (replica === undefined || replica === '1') return rest;
  return { ...rest, 'berth.name': `${rest['berth.name']}-${replica}`, 'berth.replica': replica };
}

describe('replica labels (in-memory engine)', () => {
  let project: ReturnType<typeof scaleProject>;
  /** `engine name → berth.name/berth.replica` of the api containers. */
  const labelsOf = async () =>
    Object.fromEntries(
      (await project.engine.observe({ project: 'p' })).containers
        .filter((c) => c.name.startsWith('p-api'))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((c) => [c.name, `${c.labels['berth.name']}/${c.labels['berth.replica'] ?? '-'}`]),
    );
  const ids = async () =>
    Object.fromEntries(
      (await project.engine.observe({ project: 'p' })).containers.map((c) => [c.name, c.id]),
    );
  /** Replicas of api at `replicas` as the berth of F26 made them (created and started). */
  const madeByF26 = async (replicas: number) => {
    await project.apply(api(replicas));
    const desired = await desiredFrom(api(replicas));
    for (const o of desired) {
      if (o.kind !== 'Container' || !o.replica) continue;
      await project.engine.removeContainer((await ids())[`p-${o.name}`] as string);
      const request = containerCreateRequest(o, 'p', desired);
      const labels = f26Labels(request.labels);
      const { id } = await project.engine.createContainer({ ...request, labels });
      await project.engine.startContainer(id);
    }
  };

  beforeEach(() => {
    project = scaleProject([IMAGE, OTHER]);
  });

  it('every replica carries berth.name=api and berth.replica 1..N; a single one neither', async () => {
    await project.apply(api(3));
    expect(await labelsOf()).toEqual({
      'p-api-1': 'api/1',
      'p-api-2': 'api/2',
      'p-api-3': 'api/3',
    });
    await project.apply(api(1));
    // Renamed in place: replica 1 keeps the berth.replica it was created with.
    expect(await labelsOf()).toEqual({ 'p-api': 'api/1' });
    expect(await project.planText(api(1))).toBe(NO_CHANGES);
    expect(await project.planText(api(3))).toMatch(/rename p-api → p-api-1 +replicas 1 → 3/);
  });

  it('replicas made with the F26 labels: nothing to do, and 3 → 2 → 1 → 3 keeps them', async () => {
    await madeByF26(3);
    expect(await labelsOf()).toEqual({
      'p-api-1': 'api/-',
      'p-api-2': 'api-2/2',
      'p-api-3': 'api-3/3',
    });
    expect(await project.planText(api(3))).toBe(NO_CHANGES);
    const before = await ids();
    expect(await project.planText(api(2))).toBe(
      [
        '- Container/api-3  stop          not declared any more',
        '- Container/api-3  remove        not declared any more',
        'Project p: 0 to create, 0 to change, 1 to delete.',
        '',
      ].join('\n'),
    );
    await project.apply(api(2));
    expect(await ids()).toMatchObject({
      'p-api-1': before['p-api-1'],
      'p-api-2': before['p-api-2'],
    });
    expect(await project.planText(api(1))).toMatch(
      /~ Container\/api +rename p-api-1 → p-api +replicas 2 → 1\n- Container\/api-2 +stop/,
    );
    await project.apply(api(1));
    expect(await ids()).toMatchObject({ 'p-api': before['p-api-1'] });
    await project.apply(api(3));
    // Only the new replicas carry the new labels; nothing else was recreated.
    expect(await labelsOf()).toEqual({
      'p-api-1': 'api/-',
      'p-api-2': 'api/2',
      'p-api-3': 'api/3',
    });
    expect((await ids())['p-api-1']).toBe(before['p-api-1']);
    expect(await project.names()).toEqual(['p-api-1', 'p-api-2', 'p-api-3', 'p-gateway']);
    expect(await project.planText(api(3))).toBe(NO_CHANGES);
  });

  it('an update of F26-labelled replicas replaces each one under the new labels, no leftover', async () => {
    await madeByF26(2);
    const text = await project.planText(api(2, OTHER));
    for (const i of [1, 2]) expect(text).toMatch(new RegExp(`~ Container/api-${i} .*image`));
    await project.apply(api(2, OTHER));
    expect(await labelsOf()).toEqual({
      'p-api-1': 'api/1',
      'p-api-2': 'api/2',
    });
    expect(await project.names()).toEqual(['p-api-1', 'p-api-2', 'p-gateway']);
    expect(await project.planText(api(2, OTHER))).toBe(NO_CHANGES);
  });

  it('a network recreated under replicas disconnects and connects each by its declared name', async () => {
    const yaml = (internal: boolean) => `apiVersion: berth/v1
kind: Network
metadata: {name: net}
spec: {internal: ${internal}}
---
apiVersion: berth/v1
kind: Container
metadata: {name: api}
spec: {image: ${IMAGE}, replicas: 2, networks: [net]}
`;
    await project.apply(yaml(false));
    const text = await project.planText(yaml(true));
    expect(text).toMatch(/~ Network\/net +disconnect api-1/);
    expect(text).toMatch(/~ Network\/net +disconnect api-2/);
    expect(text).toMatch(/~ Network\/net +connect api-2/);
    await project.apply(yaml(true));
    const id = (await ids())['p-api-2'] as string;
    expect(project.engine.aliasesOf(id)).toEqual({ 'p-net': ['api-2', 'api'] });
    expect(await project.planText(yaml(true))).toBe(NO_CHANGES);
  });
});

describe('recovery and name repairs across the label change (pure)', () => {
  const container = (id: string, name: string, labels: Record<string, string>) =>
    ({
      ...{ id, name, state: 'running', imageId: 'sha256:1', imageRef: 'i', createdAt: 0 },
      ...{ health: 'none', networks: [], ports: [] },
      labels: { 'berth.project': 'p', 'berth.kind': 'Container', ...labels },
    }) as ObservedContainer;
  const now = (i: number) => ({ 'berth.name': 'api', 'berth.replica': String(i) });
  const brief = (steps: { action: string; id: string; to?: string; key: string }[]) =>
    steps.map((s) => `${s.action} ${s.id}${s.to ? ` -> ${s.to}` : ''} ${s.key}`);

  it('an update cut short: old labels under the name, new ones on -next/-prev', () => {
    const old = container('old', 'p-api-2', { 'berth.name': 'api-2', 'berth.replica': '2' });
    const next = container('new', 'p-api-2-next', now(2));
    const other = container('three', 'p-api-3', now(3));
    expect(brief(recoverySteps([old, next, other], 'p'))).toEqual(['remove new Container/api-2']);
    const prev = container('prev', 'p-api-2-prev', { 'berth.name': 'api-2', 'berth.replica': '2' });
    const fresh = container('fresh', 'p-api-2', now(2));
    expect(brief(recoverySteps([prev, fresh, other], 'p'))).toEqual([
      'remove fresh Container/api-2',
      'rename prev -> p-api-2 Container/api-2',
      'start prev Container/api-2',
    ]);
  });

  it('replicas renamed onto each other’s names get their own back, keyed by replica', () => {
    const swapped = [container('bbbb', 'p-api-3', now(2)), container('cccc', 'p-api-2', now(3))];
    expect(brief(nameRepairSteps(swapped, 'p'))).toEqual([
      'rename cccc -> p-api-3-cccc Container/api-3',
      'rename bbbb -> p-api-2 Container/api-2',
      'rename cccc -> p-api-3 Container/api-3',
    ]);
    // A misnamed copy of replica 2 beside it is removed; replica 3 is no copy of replica 2.
    const copy = [
      container('aaaa', 'p-api-2', now(2)),
      container('dddd', 'by-hand', now(2)),
      container('eeee', 'p-api-3', now(3)),
    ];
    expect(brief(nameRepairSteps(copy, 'p'))).toEqual(['remove dddd Container/api-2']);
  });
});
