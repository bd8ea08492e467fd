import { describe, expect, it } from 'vitest';
import { ChangedRows } from './changed-rows.js';
import type { ObjectStatus } from '../../status/status-types.js';

const row = (key: string, observed: string, ageSeconds = 1, message = ''): ObjectStatus =>
  ({ key, observed, ageSeconds, message }) as unknown as ObjectStatus;
// What the table would print for a row, without its age.
const shown = (o: ObjectStatus) => `${o.key} ${o.observed}`;

describe('get -w changed rows', () => {
  it('prints everything with a header first, then only rows whose shown state changed', () => {
    const rows = new ChangedRows(shown);
    const first = rows.next([row('Container/a', 'running'), row('Container/b', 'running')]);
    expect(first.header).toBe(true);
    expect(first.changed.map((o) => o.key)).toEqual(['Container/a', 'Container/b']);

    // b's age and an unshown field moved on and a was killed: only a is printed again.
    const second = rows.next([
      row('Container/a', 'exited'),
      row('Container/b', 'running', 9, 'not shown'),
    ]);
    expect(second.header).toBe(false);
    expect(second.changed.map((o) => o.key)).toEqual(['Container/a']);

    // b removed, c new.
    const third = rows.next([row('Container/a', 'exited'), row('Container/c', 'created')]);
    expect(third.changed.map((o) => o.key)).toEqual(['Container/c']);
    expect(third.gone).toEqual(['Container/b']);
  });
});
