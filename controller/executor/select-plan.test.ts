import { describe, expect, it } from 'vitest';
import type { ObjectKey } from '../../specs/model.js';
import type { ObjectPlan, Plan, StepAction } from '../plan/plan-types.js';
import { selectDependencies, selectPlan } from './select-plan.js';

/** An object of a never-applied project: absent, one step to take. */
function absent(key: ObjectKey, action: StepAction, after: ObjectKey[] = []): ObjectPlan {
  const [kind, name] = key.split('/') as [ObjectPlan['kind'], string];
  return {
    key,
    kind,
    name,
    observed: 'absent',
    desired: 'present',
    steps: [{ key, action, symbol: '+', cause: 'not created yet' }],
    inSync: false,
    after,
  };
}

// app and db run one pulled image; app waits for db (F269: `berth run app`).
const plan: Plan = {
  project: 'p',
  conflicts: [],
  objects: [
    absent('Image/busybox', 'pull'),
    absent('Network/default', 'create'),
    absent('Container/db', 'create', ['Image/busybox', 'Network/default']),
    absent('Container/app', 'create', ['Image/busybox', 'Network/default', 'Container/db']),
  ],
};
const working = (p: Plan) => p.objects.filter((o) => o.steps.length > 0).map((o) => o.key);

describe('selectDependencies (berth run)', () => {
  it("keeps the dependencies' work and nothing of the container run from", () => {
    const selected = selectDependencies(plan, { of: 'Container/app', containers: true });
    expect(working(selected)).toEqual(['Image/busybox', 'Network/default', 'Container/db']);
    // Idle and waiting for nothing: the executor must not look at app again once the image it
    // runs is pulled (it would create it).
    expect(selected.objects.find((o) => o.key === 'Container/app')).toMatchObject({
      steps: [],
      inSync: true,
      after: [],
    });
  });

  it('leaves the dependsOn containers out with --no-deps', () => {
    const selected = selectDependencies(plan, { of: 'Container/app', containers: false });
    expect(working(selected)).toEqual(['Image/busybox', 'Network/default']);
    expect(selected.objects.find((o) => o.key === 'Container/db')?.after).toEqual([]);
  });

  it("keeps an idle object's edges for the watch (a rebuilt image recreates its containers)", () => {
    const selected = selectPlan(plan, ['Image/busybox']);
    expect(working(selected)).toEqual(['Image/busybox']);
    expect(selected.objects.find((o) => o.key === 'Container/app')?.after).toHaveLength(3);
  });
});
