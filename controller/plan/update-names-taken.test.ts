import { beforeEach, describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import { converge } from '../executor/converge.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { observeAndPlan } from '../observe.js';
import type { ContainerObject } from '../../specs/model.js';
import { containerCreateRequest } from './container-request.js';
import { formatPlan, hasChanges } from './plan-format.js';

// F168: an update whose temporary name (`-prev` for stop-first, `-next` for start-first) is
// held by a container berth does not own is blocked by the plan, with apply's reason.

const IMAGE = 'localhost/berth-busybox:1';
const project = 'demo';
/** web publishes a host port (stop-first), api does not (start-first). */
const set = (version: number) => `
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${IMAGE}
  env: {V: "${version}"}
  ports: ["127.0.0.1:18080:80"]
---
apiVersion: berth/v1
kind: Container
metadata: {name: api}
spec:
  image: ${IMAGE}
  env: {V: "${version}"}
`;

describe('an update whose temporary name is taken (F168)', () => {
  let engine: MemoryEngine;
  const planOf = async (version: number) =>
    (
      await observeAndPlan(engine, {
        project,
        desired: await desiredFrom(set(version)),
        prune: false,
      })
    ).plan;
  /** A container of the test image under `name` with `labels` (none: berth does not own it). */
  const foreign = async (name: string, labels: Record<string, string> = {}) => {
    const desired = await desiredFrom(set(1));
    const api = desired.find((o): o is ContainerObject => o.kind === 'Container')!;
    const request = containerCreateRequest(api, project, desired, '/tmp/files');
    return engine.createContainer({ ...request, name, labels });
  };

  beforeEach(async () => {
    engine = new MemoryEngine({ now: () => 1_700_000_000_000 });
    engine.addImage(IMAGE);
    const applied = await converge(engine, {
      project,
      desired: await desiredFrom(set(1)),
      prune: false,
      parallel: 4,
      deadline: Date.now() + 10_000,
    });
    expect(applied.result.ok).toBe(true);
  });

  it('looks nothing up for a converged project or a plan without updates', async () => {
    await foreign('demo-web-prev');
    engine.resetCalls();
    const plan = await planOf(1);
    expect(hasChanges(plan)).toBe(false);
    expect(engine.calls.lookupNames ?? 0).toBe(0);
  });

  it('blocks each update whose temporary name a foreign container holds, in apply’s words', async () => {
    await foreign('demo-web-prev');
    await foreign('demo-api-next', { 'berth.project': 'other', 'berth.name': 'x' });
    engine.resetCalls();
    const plan = await planOf(2);
    expect(engine.calls.lookupNames).toBe(1);
    expect(formatPlan(plan)).toBe(
      [
        '! Container/api  the engine name demo-api-next, which a start-first update gives the new container, is taken by Container/x of project other; nothing is stopped (remove or rename that container)',
        '! Container/web  the engine name demo-web-prev, which a stop-first update gives the old container, is taken by a container berth does not own; nothing is stopped (remove or rename that container)',
        'Project demo: 0 to create, 0 to change, 0 to delete, 2 blocked; apply refuses to change anything while a name conflict blocks an object.',
        '',
      ].join('\n'),
    );
    expect(plan.conflicts.map((c) => `${c.key} ${c.engineName}`).sort()).toEqual([
      'Container/api demo-api-next',
      'Container/web demo-web-prev',
    ]);
    // `plan --exit-code` and `diff`: the update is still a change apply would act on.
    expect(hasChanges(plan)).toBe(true);
  });

  it('leaves an update alone whose temporary name is free or held by its own leftover', async () => {
    // The start-first name of a stop-first update is not the one it takes.
    await foreign('demo-web-next');
    const own = { 'berth.project': project, 'berth.kind': 'Container', 'berth.name': 'api' };
    await foreign('demo-api-next', own);
    const plan = await planOf(2);
    expect(plan.conflicts).toEqual([]);
    expect(plan.objects.find((p) => p.key === 'Container/web')?.steps.map((s) => s.action)).toEqual(
      ['rename', 'stop', 'create', 'start', 'gate', 'remove'],
    );
  });
});
