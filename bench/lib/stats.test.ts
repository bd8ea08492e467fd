import { describe, expect, it } from 'vitest';
import { ratio, summarise } from './stats.js';

describe('summarise', () => {
  it('takes the middle sample of an odd count and the mean of the middle two of an even count', () => {
    expect(summarise([5, 1, 3])).toEqual({ runs: 3, median: 3, min: 1, max: 5 });
    expect(summarise([4, 1, 3, 10])).toEqual({ runs: 4, median: 3.5, min: 1, max: 10 });
  });
  it('reports zero runs for no samples', () => {
    expect(summarise([])).toEqual({ runs: 0, median: 0, min: 0, max: 0 });
  });
});

describe('ratio', () => {
  it('divides and rounds to two decimals, refusing a zero denominator', () => {
    expect(ratio(1, 3)).toBe(0.33);
    expect(ratio(1, 0)).toBeUndefined();
    expect(ratio(undefined, 2)).toBeUndefined();
  });
});
