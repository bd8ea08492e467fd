import { describe, expect, it } from 'vitest';
import type { ObjectOutcome } from '../executor/execute.js';
import type { ObjectPlan, Plan } from '../plan/plan-types.js';
import type { Kind, ObjectKey } from '../../specs/model.js';
import { summaryText } from './apply-summary.js';

function created(kind: Kind, name: string): ObjectPlan {
  const key = `${kind}/${name}` as ObjectKey;
  return {
    key,
    kind,
    name,
    observed: 'absent',
    desired: kind === 'Container' ? 'running' : 'present',
    steps: [{ key, action: 'create', symbol: '+', cause: 'not created yet' }],
    inSync: false,
    after: [],
  };
}

const plan: Plan = {
  project: 'demo',
  objects: [created('Network', 'net'), created('Container', 'a'), created('Container', 'b')],
  conflicts: [],
};

describe('apply summary counts', () => {
  it('names the objects that failed, so the counts add up to the plan (F812)', () => {
    // `apply --wait`: both containers were created and started, then failed as crash loops.
    const crashed = (name: string): ObjectOutcome => ({
      key: `Container/${name}` as ObjectKey,
      outcome: 'failed',
      ops: ['create', 'start'],
      message: 'CrashLoopBackOff: crash loop: 1 restart, last exit code 3',
      code: 'E_CONVERGE',
    });
    const outcomes: ObjectOutcome[] = [
      { key: 'Network/net' as ObjectKey, outcome: 'converged', ops: ['create'] },
      crashed('a'),
      crashed('b'),
    ];
    const text = summaryText('demo', plan, { outcomes, ok: false }, 3100);
    expect(text).toContain(
      'Project demo: failed to converge (1 created, 0 changed, 0 deleted, 2 failed) in 3.1s\n',
    );
  });

  it('says nothing of failures when there are none', () => {
    const outcomes: ObjectOutcome[] = plan.objects.map((p) => ({
      key: p.key,
      outcome: 'converged',
      ops: ['create'],
    }));
    expect(summaryText('demo', plan, { outcomes, ok: true }, 1000)).toBe(
      'Project demo: converged (3 created, 0 changed, 0 deleted) in 1.0s\n',
    );
  });
});
