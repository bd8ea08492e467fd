import { beforeEach, describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { converge } from '../executor/converge.js';
import { observeAndPlan } from '../observe.js';
import { buildProjectStatus } from '../status/build-status.js';
import { formatPlan } from './plan-format.js';

/**
 * F38: a declared container beside a `-next`/`-prev` leftover of an update cut short (berth
 * killed) is not in sync, even when the container under its name matches the declaration:
 * `plan` and `status` say so, and the writers' recovery leaves one container per name.
 */

const IMAGE = 'localhost/berth-busybox:1';
const YAML = `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec: {image: ${IMAGE}, env: {V: "2"}}
`;

describe('update leftovers in plan and status (in-memory engine)', () => {
  let engine: MemoryEngine;
  const project = 'demo';
  const input = async () => ({ project, desired: await desiredFrom(YAML), prune: true });
  const planned = async () => observeAndPlan(engine, await input());
  const run = async () =>
    converge(engine, { ...(await input()), parallel: 2, deadline: Date.now() + 10_000 });
  const names = async () =>
    (await engine.observe({ project })).containers.map((c) => `${c.name} ${c.state}`).sort();
  const statusOf = async () => {
    const { plan, observed } = await planned();
    return buildProjectStatus({
      project,
      desired: (await input()).desired,
      observed,
      plan,
      desiredSource: 'files',
      now: 1_700_000_000_000,
    });
  };
  /** A container of the declared spec started under `<project>-web<suffix>`, as an update makes it. */
  const leftover = async (suffix: string) => {
    const entry = (await planned()).plan.objects.find((o) => o.key === 'Container/web');
    const request = entry?.container?.request;
    if (!request) throw new Error('no create request planned for Container/web');
    const { id } = await engine.createContainer({ ...request, name: `${request.name}${suffix}` });
    await engine.startContainer(id);
    return id;
  };

  beforeEach(async () => {
    engine = new MemoryEngine({ now: () => 1_700_000_000_000 });
    engine.addImage(IMAGE);
    expect((await run()).result.ok).toBe(true);
  });

  it('a -next beside a container that matches: not in sync, the removal planned; recovery removes it', async () => {
    await leftover('-next');
    expect(formatPlan((await planned()).plan)).toBe(
      [
        '- Container/web  remove demo-web-next  unfinished start-first update: the new container has not replaced the old one',
        // Container/web stays: only the leftover goes (F465 i: not "1 to delete").
        'Project demo: 0 to create, 1 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
    const status = await statusOf();
    expect(status.inSync).toBe(false);
    expect(status.objects.find((o) => o.key === 'Container/web')).toMatchObject({
      inSync: false,
      reason: 'unfinished start-first update: the new container has not replaced the old one',
    });

    expect((await run()).result.ok).toBe(true);
    expect(await names()).toEqual(['demo-web running']);
    expect((await statusOf()).inSync).toBe(true);
  });

  it('a -next alone (the old one removed): not in sync, the rename planned; recovery renames it', async () => {
    const next = await leftover('-next');
    const old = (await engine.observe({ project })).containers.find((c) => c.name === 'demo-web');
    await engine.removeContainer(old!.id);
    expect(formatPlan((await planned()).plan)).toContain(
      '~ Container/web  rename demo-web  unfinished start-first update: the new container passed its gate',
    );
    expect((await statusOf()).inSync).toBe(false);

    expect((await run()).result.ok).toBe(true);
    const after = (await engine.observe({ project })).containers;
    expect(after.map((c) => `${c.name} ${c.id === next ? 'next' : 'other'}`)).toEqual([
      'demo-web next',
    ]);
    expect((await statusOf()).inSync).toBe(true);
  });

  it('a -next beside a container whose spec changed: one to change, none to delete (F465 i)', async () => {
    await leftover('-next');
    const changed = await desiredFrom(YAML.replace('V: "2"', 'V: "3"'));
    const { plan } = await observeAndPlan(engine, { project, desired: changed, prune: true });
    const text = formatPlan(plan);
    expect(text).toContain('- Container/web  remove demo-web-next');
    expect(text).toContain('~ Container/web  create');
    expect(text).toMatch(/Project demo: 0 to create, 1 to change, 0 to delete\.\n$/);
  });

  it('a -prev beside the container: not in sync, the undo planned', async () => {
    await leftover('-prev');
    const text = formatPlan((await planned()).plan);
    expect(text).toContain('- Container/web  remove demo-web');
    expect(text).toContain('~ Container/web  rename demo-web');
    expect((await statusOf()).inSync).toBe(false);
    expect((await run()).result.ok).toBe(true);
    expect(await names()).toEqual(['demo-web running']);
  });
});
