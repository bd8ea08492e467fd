import { describe, expect, it } from 'vitest';
import { containerObject } from '../status/testing/fixtures.js';
import { addToHistory, historyMessage } from './history-fold.js';
import { keptImageIds } from './image-history.js';
import type { HistoryEntry } from './record-types.js';
import { ROLLBACK_DEPTH } from './record-types.js';
import { rollbackTarget } from './rollback-target.js';

const NONE = { created: 0, changed: 0, deleted: 0, unchanged: 2, failed: 0 };

/** A plain apply of /srv/app at `time` with set `set` (one container named so). */
function apply(time: number, set: string, overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: time.toString(36),
    time,
    sources: ['/srv/app'],
    outcome: 'converged',
    counts: { created: 0, changed: 1, deleted: 0, unchanged: 1, failed: 0 },
    durationMs: 10,
    objects: [containerObject(set)],
    images: [{ ref: 'local/app:1', id: `sha256:${set}`, digest: null, built: true }],
    ...overrides,
  };
}

/** Records each entry in turn (newest first after each), as recordApply does. */
function record(entries: HistoryEntry[], repeatable = true): HistoryEntry[] {
  let history: HistoryEntry[] = [];
  for (const e of entries) history = addToHistory(history, e, { limit: 50, repeatable }).entries;
  return history;
}

describe('history: applies that repeat the newest with nothing to do (F275)', () => {
  it('counts a re-run of the same apply on its entry, and says so', () => {
    const first = apply(1000, 'a');
    const again = apply(2000, 'a', { counts: NONE });
    const { entries, recorded } = addToHistory([first], again, { limit: 50, repeatable: true });
    expect(entries).toEqual([{ ...first, repeats: { count: 1, lastTime: 2000 } }]);
    expect(recorded).toBe(entries[0]);
    const more = record([first, again, apply(3000, 'a', { counts: NONE })]);
    expect(more.map((e) => [e.id, e.repeats])).toEqual([['rs', { count: 2, lastTime: 3000 }]]);
    expect(historyMessage(more[0]!)).toBe(
      'applied again 2× with no change, last at 1970-01-01T00:00:03Z',
    );
    expect(historyMessage({ ...more[0]!, message: 'applied by berth watch' })).toMatch(
      /^applied by berth watch; applied again 2× /,
    );
  });

  it('records as its own entry an apply of another set, commit, source, --prune or image, even with nothing to do', () => {
    const first = apply(1000, 'a', { commit: 'c1', prune: false });
    const others: [string, HistoryEntry][] = [
      ['another set', apply(2000, 'b', { commit: 'c1', counts: NONE })],
      ['a new commit', apply(2000, 'a', { commit: 'c2', counts: NONE })],
      ['another source', apply(2000, 'a', { commit: 'c1', sources: ['/srv/b'], counts: NONE })],
      ['--prune', apply(2000, 'a', { commit: 'c1', prune: true, counts: NONE })],
      [
        'another image id',
        apply(2000, 'a', {
          commit: 'c1',
          counts: NONE,
          images: [{ ref: 'local/app:1', id: 'sha256:other', digest: null, built: true }],
        }),
      ],
      ['a change on the engine', apply(2000, 'a', { commit: 'c1' })],
      ['another message', apply(2000, 'a', { commit: 'c1', counts: NONE, message: 'x' })],
      ['a failure', apply(2000, 'a', { commit: 'c1', counts: NONE, outcome: 'failed' })],
    ];
    for (const [why, next] of others)
      expect(
        record([first, next]).map((e) => e.time),
        why,
      ).toEqual([2000, 1000]);
    // An apply that settled after a newer one was recorded is history of its own time.
    expect(record([first, apply(500, 'a', { commit: 'c1', counts: NONE })])).toHaveLength(2);
  });

  it('never folds an apply the caller does not call repeatable: a rollback, the watch rollback (d)', () => {
    // berth watch: apply of A, the failing revision's update rolled back to A on the engine;
    // the rollback entry (A again, nothing left to do) may be recorded before the failed one.
    const good = apply(1000, 'a', { message: 'applied by berth watch', prune: true });
    const rollback = apply(3000, 'a', { counts: NONE, message: 'update failed: rolled back' });
    const failed = apply(2000, 'b', { outcome: 'failed', message: 'applied by berth watch' });
    let history = record([good]);
    history = addToHistory(history, rollback, { limit: 50, repeatable: false }).entries;
    history = addToHistory(history, failed, { limit: 50, repeatable: true }).entries;
    expect(history.map((e) => [e.time, e.outcome, e.repeats])).toEqual([
      [3000, 'converged', undefined],
      [2000, 'failed', undefined],
      [1000, 'converged', undefined],
    ]);
  });

  it('keeps both of two applies of different sets, one after the other (b)', () => {
    expect(record([apply(1000, 'a'), apply(2000, 'b', { counts: NONE })])).toHaveLength(2);
  });

  it('12 re-runs leave the rollback target in reach, with its images kept (a, c)', () => {
    const sets = Array.from({ length: ROLLBACK_DEPTH }, (_, i) => apply(1000 + i, `s${i}`));
    const reruns = Array.from({ length: 12 }, (_, i) =>
      apply(2000 + i, `s${ROLLBACK_DEPTH - 1}`, { counts: NONE }),
    );
    const history = record([...sets, ...reruns]);
    expect(history).toHaveLength(ROLLBACK_DEPTH);
    expect(history.every((e) => e.objects)).toBe(true);
    expect(rollbackTarget(history, undefined, 'app').time).toBe(1000 + ROLLBACK_DEPTH - 2);
    expect(rollbackTarget(history, (1000).toString(36), 'app').time).toBe(1000);
    expect([...keptImageIds(history)!].sort()).toEqual(sets.map((e) => e.images![0]!.id).sort());
    // One more set pushes the oldest out of the depth: neither rollback nor retention keep it.
    const pushed = record([...sets, ...reruns, apply(3000, 'new')]);
    expect(pushed.find((e) => e.time === 1000)?.objects).toBeUndefined();
    expect(keptImageIds(pushed)?.has('sha256:s0')).toBe(false);
    expect(() => rollbackTarget(pushed, (1000).toString(36), 'app')).toThrow(/no apply/);
  });

  it('gives no rollback slot to an entry without a set (a restart, an invalid apply)', () => {
    const sets = Array.from({ length: ROLLBACK_DEPTH }, (_, i) => apply(1000 + i, `s${i}`));
    const { objects: _o, images: _i, ...bare } = apply(0, 'x');
    const restarts = Array.from({ length: 5 }, (_, i) => ({
      ...bare,
      id: `r${i}`,
      time: 2000 + i,
      message: 'restart app',
    }));
    const invalid = { ...bare, id: 'inv', time: 3000, outcome: 'invalid' as const };
    const history = record([...sets, ...restarts, invalid]);
    expect(history.filter((e) => e.objects)).toHaveLength(ROLLBACK_DEPTH);
    expect(keptImageIds(history)?.has('sha256:s0')).toBe(true);
    expect(rollbackTarget(history, (1000).toString(36), 'app').time).toBe(1000);
  });
});
