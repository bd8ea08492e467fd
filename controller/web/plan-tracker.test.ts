import { describe, expect, it } from 'vitest';
import { PlanTracker } from './plan-tracker.js';

const states = (t: PlanTracker) => t.steps().map((s) => `${s.key} ${s.text} ${s.state}`);

describe('PlanTracker', () => {
  it('shows pending steps, then ticks a batch as its ops run', () => {
    let now = 0;
    const t = new PlanTracker(() => now);
    expect(
      t.setPending([{ key: 'Container/a', action: 'start', cause: 'stopped outside berth' }]),
    ).toBe(true);
    expect(states(t)).toEqual(['Container/a start pending']);
    const steps = [
      { key: 'Container/a', action: 'stop', cause: 'env changed' },
      { key: 'Container/a', action: 'start', cause: 'env changed' },
      { key: 'Container/b', action: 'create', cause: 'not created yet' },
    ];
    t.onEvent({ type: 'plan', steps, time: 0 });
    t.onEvent({ type: 'progress', key: 'Container/a', phase: 'op', op: 'stop', time: 0 });
    expect(states(t)).toEqual([
      'Container/a stop running',
      'Container/a start pending',
      'Container/b create pending',
    ]);
    t.onEvent({ type: 'progress', key: 'Container/a', phase: 'op', op: 'start', time: 0 });
    t.onEvent({ type: 'progress', key: 'Container/a', phase: 'converged', time: 0 });
    t.onEvent({ type: 'progress', key: 'Container/b', phase: 'failed', time: 0 });
    expect(states(t)).toEqual([
      'Container/a stop done',
      'Container/a start done',
      'Container/b create failed',
    ]);
    now = 60_000; // a finished batch leaves the page after a while
    t.setPending([]);
    expect(states(t)).toEqual([]);
  });

  it('gives every step a stable id', () => {
    const t = new PlanTracker(() => 0);
    t.onEvent({
      type: 'plan',
      steps: [{ key: 'Network/n', action: 'create', cause: 'x' }],
      time: 0,
    });
    const [first] = t.steps();
    t.onEvent({ type: 'progress', key: 'Network/n', phase: 'op', op: 'create', time: 0 });
    expect(t.steps()[0]!.id).toBe(first!.id);
    expect(first!.state).toBe('pending'); // steps() hands out copies
  });

  it("shows an update's health gate as a running step with its deadline, ticked off by the next op", () => {
    const t = new PlanTracker(() => 0);
    const ops = ['create', 'start', 'stop', 'remove', 'rename'];
    t.onEvent({
      type: 'plan',
      steps: ops.map((action) => ({ key: 'Container/web', action, cause: 'env changed' })),
      time: 0,
    });
    const progress = (op: string, deadline?: number) =>
      t.onEvent({ type: 'progress', key: 'Container/web', phase: 'op', op, deadline, time: 0 });
    progress('create');
    progress('start');
    expect(progress('gate', 12_345)).toBe(true);
    expect(states(t)).toEqual([
      'Container/web create done',
      'Container/web start done',
      'Container/web health gate running',
      'Container/web stop pending',
      'Container/web remove pending',
      'Container/web rename pending',
    ]);
    expect(t.steps()[2]!.deadline).toBe(12_345);
    progress('stop');
    expect(states(t).slice(2, 4)).toEqual([
      'Container/web health gate done',
      'Container/web stop running',
    ]);
  });

  it('marks only the step under way as failed, with its message; the later steps as skipped (F152)', () => {
    const t = new PlanTracker(() => 0);
    const ops = ['create', 'start', 'stop', 'remove', 'rename'];
    t.onEvent({
      type: 'plan',
      steps: ops.map((action) => ({ key: 'Container/web', action, cause: 'env changed' })),
      time: 0,
    });
    const progress = (op: string) =>
      t.onEvent({ type: 'progress', key: 'Container/web', phase: 'op', op, time: 0 });
    progress('create');
    progress('start');
    progress('gate');
    const message = 'update rolled back: the old container keeps running; not healthy within 23s';
    t.onEvent({ type: 'progress', key: 'Container/web', phase: 'failed', message, time: 0 });
    expect(states(t)).toEqual([
      'Container/web create done',
      'Container/web start done',
      'Container/web health gate failed',
      'Container/web stop skipped',
      'Container/web remove skipped',
      'Container/web rename skipped',
    ]);
    expect(t.steps()[2]!.message).toBe(message);
    // A dependency that did not converge: nothing of this object ran.
    t.onEvent({
      type: 'plan',
      steps: [{ key: 'Container/api', action: 'create', cause: 'not created yet' }],
      time: 0,
    });
    t.onEvent({ type: 'progress', key: 'Container/api', phase: 'skipped', time: 0 });
    expect(states(t)).toEqual(['Container/api create skipped']);
  });
});
