import { describe, expect, it } from 'vitest';
import type { ObjectKey } from '../../specs/model.js';
import type { ObjectPlan, Plan } from '../plan/plan-types.js';
import { changeRecord } from '../watch/change-record.js';
import type { ObjectOutcome } from './execute.js';
import {
  laterEffect,
  laterRun,
  ranCounts,
  ranEffect,
  ranSteps,
  type RanEffect,
  type RanTally,
} from './ran-summary.js';

/**
 * F29: `apply` and `berth watch` count what ran by one rule. A built image that was absent is
 * created (it was counted "1 changed" while plan said "to create"), and watch's history
 * counts creations as creations (it recorded `+0 ~5` for a first apply).
 */

const entry = (key: ObjectKey, observed: string, desired = 'running'): ObjectPlan => ({
  key,
  kind: key.startsWith('Image/') ? 'Image' : 'Container',
  name: key.slice(key.indexOf('/') + 1),
  observed,
  desired,
  steps: [],
  inSync: false,
  after: [],
});
const ran = (key: ObjectKey, ops: string[], outcome: ObjectOutcome['outcome'] = 'converged') => ({
  key,
  outcome,
  ops,
});

const plan: Plan = {
  project: 'p',
  objects: [
    entry('Image/web', 'absent', 'present'),
    entry('Container/web', 'absent'),
    entry('Container/db', 'exited'),
    entry('Container/old', 'running', 'absent'),
    entry('Container/cache', 'running'),
    entry('Container/proxy', 'absent'),
  ],
} as Plan;
const outcomes: ObjectOutcome[] = [
  ran('Image/web', ['build']),
  ran('Container/web', ['create', 'start']),
  ran('Container/db', ['start']),
  ran('Container/old', ['stop', 'remove']),
  ran('Container/proxy', [], 'skipped'),
];

describe('counting what ran', () => {
  it('a build or create of an absent object is a creation; a skip is a failure', () => {
    expect(ranCounts(plan, outcomes)).toEqual({
      created: 2,
      changed: 1,
      deleted: 1,
      unchanged: 1,
      failed: 1,
    });
    expect(ranEffect(plan.objects[0], ran('Image/web', ['tag']))).toBe('created');
    expect(ranEffect(plan.objects[4], ran('Container/cache', []))).toBe('unchanged');
  });

  it('an object run twice for one change: the last failure counts, else the first deed', () => {
    const fold = (effects: RanEffect[]) =>
      effects.reduce<RanEffect | undefined>((a, e) => laterEffect(a, e), undefined);
    expect(fold(['failed', 'created'])).toBe('created');
    expect(fold(['created', 'changed'])).toBe('created');
    expect(fold(['created', 'failed'])).toBe('failed');
    expect(fold(['unchanged', 'changed', 'unchanged'])).toBe('changed');
    expect(fold(['failed', 'unchanged'])).toBe('failed');
  });

  it("berth watch's history counts a change by the same rule", () => {
    const effects = new Map<ObjectKey, RanEffect>();
    const byKey = new Map(plan.objects.map((p) => [p.key, p]));
    for (const o of outcomes) effects.set(o.key, ranEffect(byKey.get(o.key), o));
    // The proxy's dependency came back: it ran again and was created.
    effects.set(
      'Container/proxy',
      laterEffect(
        effects.get('Container/proxy'),
        ranEffect(byKey.get('Container/proxy'), ran('Container/proxy', ['create', 'start'])),
      ),
    );
    const declared = plan.objects.filter((p) => p.desired !== 'absent').map(() => ({}));
    const tallies = new Map<ObjectKey, RanTally>(
      [...effects].map(([key, effect]) => [key, { effect, steps: [] }]),
    );
    const record = changeRecord(
      {
        changed: [],
        objects: declared as never,
        time: 0,
        from: { sources: ['/m'] },
        message: 'applied by berth watch',
      },
      tallies,
      10,
      [],
    );
    expect(record.counts).toEqual({ created: 3, changed: 1, deleted: 1, unchanged: 1, failed: 0 });
    expect(record.outcome).toBe('converged');
  });

  it("F622: watch's history keeps a failed object's step and reason, as apply's does", () => {
    const failing = { ...ran('Container/proxy', []), outcome: 'failed' as const };
    const first = ranSteps(plan, [{ ...failing, message: 'dependency exited', code: 'E_X' }], 1);
    const again = ranSteps(plan, [{ ...failing, message: 'still exited', code: 'E_X' }], 2);
    const once = laterRun(undefined, 'failed', first);
    expect(once.steps).toEqual([
      expect.objectContaining({ failed: true, cause: 'dependency exited', code: 'E_X' }),
    ]);
    // The latest failure replaces the earlier one; a run that did nothing keeps it.
    const twice = laterRun(once, 'failed', again);
    expect(twice.steps.map((s) => s.cause)).toEqual(['still exited']);
    expect(laterRun(twice, 'unchanged', []).steps.map((s) => s.cause)).toEqual(['still exited']);
    // Fixed by a later run: no failure is left on record.
    const fixed = ranSteps(plan, [ran('Container/proxy', ['create', 'start'])], 3);
    const healed = laterRun(twice, 'created', fixed);
    expect(healed.effect).toBe('created');
    expect(healed.steps.some((s) => s.failed)).toBe(false);
    const record = changeRecord(
      {
        changed: [],
        objects: [{}] as never,
        time: 0,
        from: { sources: ['/m'] },
        message: 'applied by berth watch',
      },
      new Map([['Container/proxy' as ObjectKey, twice]]),
      10,
      [],
    );
    expect(record.outcome).toBe('failed');
    expect(record.steps).toEqual([
      expect.objectContaining({ failed: true, cause: 'still exited' }),
    ]);
  });
});
