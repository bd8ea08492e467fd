import { describe, expect, it } from 'vitest';
import { fieldDiff } from './field-diff.js';

describe('fieldDiff', () => {
  it('names each changed leaf by its path, arrays whole', () => {
    const before = { env: { A: '1', B: '2' }, args: ['a', 'b'], ports: [] };
    const after = { env: { A: '1', B: '3', C: '4' }, args: ['b', 'a'], ports: [] };
    expect(fieldDiff(before, after, 'spec')).toEqual([
      { path: 'spec.args', before: ['a', 'b'], after: ['b', 'a'] },
      { path: 'spec.env.B', before: '2', after: '3' },
      { path: 'spec.env.C', after: '4' },
    ]);
  });

  it('is empty for equal values', () => {
    expect(fieldDiff({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });
});
