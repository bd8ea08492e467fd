import { describe, expect, it } from 'vitest';
import type { ObjectKey } from '../../specs/model.js';
import type { ObjectPlan, Plan } from '../plan/plan-types.js';
import { refuseConflicts } from './conflict-refusal.js';

const taken =
  'the engine name demo-web is taken by a container berth does not own; berth will not adopt, rename or remove it';

function entry(key: string, over: Partial<ObjectPlan> = {}): ObjectPlan {
  const [kind, name] = key.split('/') as [ObjectPlan['kind'], string];
  return {
    key: key as ObjectKey,
    kind,
    name,
    observed: 'absent',
    desired: 'present',
    steps: [],
    inSync: true,
    after: [],
    ...over,
  };
}

const create = {
  steps: [
    {
      key: 'Network/net' as ObjectKey,
      action: 'create' as const,
      symbol: '+' as const,
      cause: 'not created yet',
    },
  ],
  inSync: false,
};

function planWith(objects: ObjectPlan[], conflicted: string[]): Plan {
  return {
    project: 'demo',
    objects,
    conflicts: conflicted.map((key) => ({
      key: key as ObjectKey,
      engineName: 'demo-web',
      message: taken,
    })),
  };
}

describe('refuseConflicts (F815)', () => {
  it('refuses a plan with an object a name conflict blocks, naming it, exit code 2', () => {
    const plan = planWith(
      [entry('Network/net', create), entry('Container/web', { inSync: false, reason: taken })],
      ['Container/web'],
    );
    expect(() => refuseConflicts(plan)).toThrow(
      expect.objectContaining({
        code: 'E_CONFLICT',
        message: `Container/web: ${taken}; nothing was changed`,
      }),
    );
  });

  it('lets a plan run whose blocked objects are blocked for another reason, or not selected', () => {
    // A volume whose options changed is out of sync with no step: no conflict of its own.
    const volume = entry('Volume/data', { inSync: false, reason: 'options changed' });
    expect(() => refuseConflicts(planWith([volume], []))).not.toThrow();
    // `berth run web`: the container run from is left idle by the selection; its one-off has a
    // name of its own.
    const idle = entry('Container/web', { inSync: true });
    expect(() =>
      refuseConflicts(planWith([entry('Network/net', create), idle], ['Container/web'])),
    ).not.toThrow();
  });
});
