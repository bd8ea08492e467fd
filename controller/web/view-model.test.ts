import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../records/record-types.js';
import { toHistory } from './view-model.js';

describe('the page history', () => {
  it("carries a git apply's commit, subject and author (new-user trial F33)", () => {
    const entry = {
      id: 'a1',
      time: 1,
      outcome: 'converged',
      sources: ['file:///srv/app.git//deploy'],
      commit: 'c0c67711c83dd456bd47ab8658fda65573e12ac5',
      subject: 'mode two',
      author: 'Ada <ada@example.test>',
      counts: { created: 0, changed: 1, deleted: 0, unchanged: 2, failed: 0 },
    } as HistoryEntry;
    expect(toHistory([entry])[0]).toMatchObject({
      commit: entry.commit,
      subject: 'mode two',
      author: 'Ada <ada@example.test>',
      changed: 1,
    });
    expect(
      toHistory([{ ...entry, commit: undefined, subject: undefined, author: undefined }])[0],
    ).toMatchObject({ commit: null, subject: null, author: null });
  });

  it('counts what an apply created, changed and deleted apart, in words (F465)', () => {
    const entry = (counts: Partial<HistoryEntry['counts']>) =>
      ({
        time: 1,
        outcome: 'converged',
        sources: [],
        durationMs: 1,
        counts: { created: 0, changed: 0, deleted: 0, unchanged: 0, failed: 0, ...counts },
      }) as HistoryEntry;
    expect(toHistory([entry({ created: 7 })])[0]).toMatchObject({
      created: 7,
      changed: 0,
      deleted: 0,
      summary: '7 created',
    });
    expect(toHistory([entry({ deleted: 1 })])[0]!.summary).toBe('1 deleted');
    expect(toHistory([entry({ changed: 2, failed: 1 })])[0]!.summary).toBe('2 changed, 1 failed');
    expect(toHistory([entry({ unchanged: 3 })])[0]!.summary).toBe('nothing changed');
  });
});
