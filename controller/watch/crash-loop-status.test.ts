import { describe, expect, it } from 'vitest';
import { sampleStatus } from '../status/testing/sample-status.js';
import { CrashLoopTracker } from './backoff.js';
import { withCrashLoops } from './crash-loop-status.js';

describe('crash loops in status', () => {
  it('shows berth’s restarts and the back-off being waited out on the object concerned', () => {
    const status = sampleStatus();
    const target =
      status.objects.find((o) => o.kind === 'Container' && !o.inSync) ??
      status.objects.find((o) => o.kind === 'Container');
    if (!target) throw new Error('the sample has no container');
    const outOfSync = {
      ...status,
      objects: status.objects.map((o) => (o.key === target.key ? { ...o, inSync: false } : o)),
    };
    const tracker = new CrashLoopTracker();
    const t0 = 1_000_000;
    tracker.recordRestart(target.key, t0);
    tracker.recordRestart(target.key, t0 + 1000);

    const shown = withCrashLoops(outOfSync, tracker, t0 + 2000);
    const object = shown.objects.find((o) => o.key === target.key);
    expect(object?.restartCount).toBeGreaterThanOrEqual(2);
    expect(object?.reason).toMatch(/^crash loop: 2 restarts, next try in \d+s$/);
    const others = shown.objects.filter((o) => o.key !== target.key);
    expect(others).toEqual(outOfSync.objects.filter((o) => o.key !== target.key));
  });
});
