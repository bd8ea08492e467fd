import { beforeEach, describe, expect, it } from 'vitest';
import { specHash } from '../../specs/hash.js';
import { lookupIn } from '../../specs/link.js';
import { desiredFrom } from '../../test/support/manifests.js';
import { converge } from '../executor/converge.js';
import { apiAndGateway, IMAGE, scaleProject } from './testing/scale-fixture.js';

type ScaleProject = ReturnType<typeof scaleProject>;

/** F26: scaling between 1 and N keeps the running replicas (replica 1 renamed in place). */

const OTHER = 'localhost/berth-busybox:2';
const api = apiAndGateway;

describe('scaling keeps the running replicas (memory engine)', () => {
  let engine: ScaleProject['engine'];
  let planText: ScaleProject['planText'];
  let apply: ScaleProject['apply'];
  /** Engine name → id of the project's api containers. */
  const apis = async () =>
    Object.fromEntries(
      (await engine.observe({ project: 'p' })).containers
        .filter((c) => c.name.startsWith('p-api'))
        .map((c) => [c.name, c.id])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );

  beforeEach(() => {
    ({ engine, planText, apply } = scaleProject([IMAGE, OTHER]));
  });

  it('1 → 3 renames p-api to p-api-1 in place and creates 2 and 3 only', async () => {
    await apply(api(1));
    const { 'p-api': id } = await apis();
    expect(await planText(api(3))).toBe(
      [
        '~ Container/api-1  disconnect default  replicas 1 → 3: aliases api-1, api',
        '~ Container/api-1  connect default  replicas 1 → 3: aliases api-1, api',
        '~ Container/api-1  rename p-api → p-api-1  replicas 1 → 3',
        '+ Container/api-2  create        not created yet',
        '~ Container/api-2  start         declared running',
        '+ Container/api-3  create        not created yet',
        '~ Container/api-3  start         declared running',
        'Project p: 2 to create, 1 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
    const { plan, result } = await apply(api(3));
    expect(plan.objects.find((o) => o.key === 'Container/api-1')?.container?.rename?.id).toBe(id);
    expect(result.outcomes.find((o) => o.key === 'Container/api-1')?.ops).toEqual([
      'disconnect',
      'connect',
      'rename',
    ]);
    const after = await apis();
    expect(Object.keys(after)).toEqual(['p-api-1', 'p-api-2', 'p-api-3']);
    expect(after['p-api-1']).toBe(id);
    // The aliases a replica 1 created at 3 gets.
    expect(engine.aliasesOf(id as string)).toEqual({ 'p-default': ['api-1', 'api'] });
    expect(engine.aliasesOf(after['p-api-1'] as string)).toEqual(
      Object.fromEntries(
        Object.entries(engine.aliasesOf(after['p-api-2'] as string)).map(([n, a]) => [
          n,
          a.map((x) => (x === 'api-2' ? 'api-1' : x)),
        ]),
      ),
    );
    expect(await planText(api(3))).toBe(
      'Project p: no changes; the engine matches the manifests.\n',
    );
  });

  it('3 → 1 removes 3 and 2 and renames p-api-1 back; 3 → 2 and 2 → 3 touch only the surplus', async () => {
    await apply(api(1));
    const { 'p-api': id } = await apis();
    await apply(api(3));
    const three = await apis();
    expect(await planText(api(2))).toBe(
      [
        '- Container/api-3  stop          not declared any more',
        '- Container/api-3  remove        not declared any more',
        'Project p: 0 to create, 0 to change, 1 to delete.',
        '',
      ].join('\n'),
    );
    await apply(api(2));
    expect(await apis()).toEqual({ 'p-api-1': id, 'p-api-2': three['p-api-2'] });
    expect(await planText(api(3))).toBe(
      [
        '+ Container/api-3  create        not created yet',
        '~ Container/api-3  start         declared running',
        'Project p: 1 to create, 0 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
    await apply(api(3));
    expect(await planText(api(1))).toBe(
      [
        '~ Container/api    disconnect default  replicas 3 → 1: aliases api',
        '~ Container/api    connect default  replicas 3 → 1: aliases api',
        '~ Container/api    rename p-api-1 → p-api  replicas 3 → 1',
        '- Container/api-2  stop          not declared any more',
        '- Container/api-2  remove        not declared any more',
        '- Container/api-3  stop          not declared any more',
        '- Container/api-3  remove        not declared any more',
        'Project p: 0 to create, 1 to change, 2 to delete.',
        '',
      ].join('\n'),
    );
    await apply(api(1));
    expect(await apis()).toEqual({ 'p-api': id });
    expect(engine.aliasesOf(id as string)).toEqual({ 'p-default': ['api'] });
    expect(await planText(api(1))).toBe(
      'Project p: no changes; the engine matches the manifests.\n',
    );
  });

  it('a scale with an image change renames first, then the survivors take the update path', async () => {
    await apply(api(1));
    const text = await planText(api(2, OTHER));
    expect(text).toMatch(
      /^~ Container\/api-1 +disconnect default +replicas 1 → 2: aliases api-1, api\n~ Container\/api-1 +connect default .*\n~ Container\/api-1 +rename p-api → p-api-1 +replicas 1 → 2\n/,
    );
    expect(text).toMatch(/~ Container\/api-1 +create +spec changed: image/);
    expect(text).toMatch(/\+ Container\/api-2 +create/);
    await apply(api(2, OTHER));
    const observed = await engine.observe({ project: 'p' });
    const images = observed.containers
      .filter((c) => c.name.startsWith('p-api'))
      .map((c) => `${c.name} ${c.imageRef}`)
      .sort();
    expect(images).toEqual([`p-api-1 ${OTHER}`, `p-api-2 ${OTHER}`]);
  });

  it('a rename a killed berth left half done is finished, not duplicated', async () => {
    await apply(api(1));
    const { 'p-api': id } = await apis();
    // berth killed after the rename, before replicas 2 and 3 were created.
    await engine.renameContainer(id as string, 'p-api-1');
    expect(await planText(api(3))).toBe(
      [
        '+ Container/api-2  create        not created yet',
        '~ Container/api-2  start         declared running',
        '+ Container/api-3  create        not created yet',
        '~ Container/api-3  start         declared running',
        'Project p: 2 to create, 0 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
    // Killed half way back to 1: replica 3 removed, replica 2 and the rename left.
    await apply(api(3));
    const three = await apis();
    await engine.removeContainer(three['p-api-3'] as string);
    expect(await planText(api(1))).toMatch(
      /^~ Container\/api +disconnect default .*\n~ Container\/api +connect default .*\n~ Container\/api +rename p-api-1 → p-api +replicas 2 → 1\n- Container\/api-2 +stop/,
    );
    await apply(api(1));
    expect(await apis()).toEqual({ 'p-api': id });
  });

  it('a rename that failed after its aliases changed is planned and run again, aliases and all', async () => {
    await apply(api(1));
    const { 'p-api': id } = await apis();
    engine.failNext('renameContainer', 'E_ENGINE');
    const failed = await converge(engine, {
      project: 'p',
      desired: await desiredFrom(api(3)),
      prune: false,
      parallel: 4,
      deadline: Date.now() + 10_000,
    });
    expect(failed.result.ok).toBe(false);
    expect(await apis()).toMatchObject({ 'p-api': id });
    expect(await planText(api(3))).toMatch(
      /^~ Container\/api-1 +disconnect default .*\n~ Container\/api-1 +connect default .*\n~ Container\/api-1 +rename p-api → p-api-1/,
    );
    await apply(api(3));
    expect((await apis())['p-api-1']).toBe(id);
    expect(engine.aliasesOf(id as string)).toEqual({ 'p-default': ['api-1', 'api'] });
  });

  it('containers of the earlier labels (replica 1 as berth.name=api-1, berth.replica=1) scale in place too', async () => {
    await apply(api(3));
    const ids = await apis();
    // What berth made before F26: replica 1 labelled as its own name.
    const legacy = await desiredFrom(api(3));
    const first = legacy.find((o) => o.name === 'api-1');
    if (first?.kind !== 'Container') throw new Error('no api-1');
    await engine.removeContainer(ids['p-api-1'] as string);
    const request = (await import('./container-request.js')).containerCreateRequest(
      first,
      'p',
      legacy,
    );
    // Its hash then covered `api` as a network alias written into the spec.
    const networks = first.spec.networks.map((n) => ({ ...n, aliases: ['api', ...n.aliases] }));
    const earlier = specHash({ ...first, spec: { ...first.spec, networks } }, lookupIn(legacy));
    expect(earlier).not.toBe(first.specHash);
    const { id } = await engine.createContainer({
      ...request,
      labels: {
        ...request.labels,
        'berth.name': 'api-1',
        'berth.replica': '1',
        'berth.spec-hash': earlier,
      },
    });
    await engine.startContainer(id);
    expect(await planText(api(3))).toBe(
      'Project p: no changes; the engine matches the manifests.\n',
    );
    await apply(api(1));
    expect(await apis()).toEqual({ 'p-api': id });
    expect(await planText(api(1))).toBe(
      'Project p: no changes; the engine matches the manifests.\n',
    );
    await apply(api(2));
    expect((await apis())['p-api-1']).toBe(id);
  });
});
