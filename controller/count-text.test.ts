import { describe, expect, it } from 'vitest';
import { counted } from './count-text.js';

describe('counted', () => {
  it('is singular for one only', () => {
    expect([0, 1, 2].map((n) => counted(n, 'restart'))).toEqual([
      '0 restarts',
      '1 restart',
      '2 restarts',
    ]);
  });
});
