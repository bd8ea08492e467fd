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
});
