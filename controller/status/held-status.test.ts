import { describe, expect, it } from 'vitest';
import { startingStatus } from './held-status.js';
import { sampleStatus } from './testing/sample-status.js';

describe('startingStatus', () => {
  it('is never in sync before the source is read, and says why first', () => {
    // What an empty desired set against an empty project reads as: in sync.
    const empty = { ...sampleStatus(), inSync: true, outOfSync: 0, notice: null };
    const starting = startingStatus(empty);
    expect(starting.inSync).toBe(false);
    expect(starting.notice).toBe('berth watch is starting: the source is not read yet');
    const noted = startingStatus({ ...empty, notice: 'Held since …' });
    expect(noted.notice).toBe('berth watch is starting: the source is not read yet; Held since …');
  });
});
