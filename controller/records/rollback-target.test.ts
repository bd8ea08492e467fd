import { describe, expect, it } from 'vitest';
import { containerObject } from '../status/testing/fixtures.js';
import type { HistoryEntry } from './record-types.js';
import { rollbackTarget } from './rollback-target.js';

function entry(id: string, outcome: HistoryEntry['outcome'], commit: string): HistoryEntry {
  return {
    id,
    time: 1000,
    sources: ['/srv/app'],
    commit,
    outcome,
    counts: {
      created: 0,
      changed: 1,
      deleted: 0,
      unchanged: 0,
      failed: outcome === 'failed' ? 1 : 0,
    },
    durationMs: 10,
    objects: [containerObject(`web-${id}`)],
  } as HistoryEntry;
}

describe('rollbackTarget with a commit short sha', () => {
  it('takes the newest apply of that commit whose set ran (F151)', () => {
    // Newest first: the commit's failed apply recorded after its converged one.
    const history = [
      entry('c3', 'failed', 'cefe57a0000000000000000000000000000000000'),
      entry('c2', 'converged', 'cefe57a0000000000000000000000000000000000'),
      entry('c1', 'converged', 'ae1ab910000000000000000000000000000000000'),
    ];
    expect(rollbackTarget(history, 'cefe57a', 'shop').id).toBe('c2');
  });

  it('still refuses a commit none of whose applies ran, and an id that failed', () => {
    const history = [
      entry('c2', 'failed', '71a59750000000000000000000000000000000000'),
      entry('c1', 'converged', 'ae1ab910000000000000000000000000000000000'),
    ];
    expect(() => rollbackTarget(history, '71a5975', 'shop')).toThrow(/never ran/);
    expect(() => rollbackTarget(history, 'c2', 'shop')).toThrow(/never ran/);
    expect(rollbackTarget(history, 'c1', 'shop').id).toBe('c1');
  });
});

describe('rollbackTarget of an apply that failed (F807)', () => {
  it('names the last apply that converged before it, not the newest one', () => {
    // Newest first: c3 is the current apply; c2 failed; c1 is what ran before c2.
    const history = [
      entry('c3', 'converged', 'c'),
      entry('c2', 'failed', 'b'),
      entry('c1', 'converged', 'a'),
    ];
    expect(() => rollbackTarget(history, 'c2', 'shop')).toThrow(
      expect.objectContaining({
        code: 'E_STATE',
        context: { hint: 'the last apply that converged before it is c1: berth rollback c1' },
      }),
    );
  });

  it('says none converged before it when none did', () => {
    const history = [entry('c2', 'converged', 'b'), entry('c1', 'failed', 'a')];
    expect(() => rollbackTarget(history, 'c1', 'shop')).toThrow(
      expect.objectContaining({
        context: {
          hint: 'no apply converged before it; berth history lists the applies berth recorded',
        },
      }),
    );
  });
});

describe('rollbackTarget after a down (F465)', () => {
  it('brings back the set the down removed, not the one before it', () => {
    const down: HistoryEntry = {
      id: 'd1',
      time: 3000,
      sources: [],
      outcome: 'converged',
      counts: { created: 0, changed: 0, deleted: 2, unchanged: 0, failed: 0 },
      durationMs: 10,
      message: 'down',
      down: true,
    };
    const history = [down, entry('c2', 'converged', 'b'), entry('c1', 'converged', 'a')];
    expect(rollbackTarget(history, undefined, 'shop').id).toBe('c2');
    // Without the down, the one before the last, as before.
    expect(rollbackTarget(history.slice(1), undefined, 'shop').id).toBe('c1');
  });
});
