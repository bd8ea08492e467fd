import { describe, expect, it } from 'vitest';
import { isKeptInUse, keptInUseText } from './kept-in-use.js';

describe('kept in use (F346, F462)', () => {
  it('is an image or network removal the engine refused naming its users', () => {
    const users = { outcome: 'failed', inUseBy: ['other-web'] };
    expect(isKeptInUse({ key: 'Network/proxy', ...users })).toBe(true);
    expect(isKeptInUse({ key: 'Image/app', ...users })).toBe(true);
    expect(isKeptInUse({ key: 'Volume/data', ...users })).toBe(false);
    expect(isKeptInUse({ key: 'Network/proxy', outcome: 'failed', inUseBy: [] })).toBe(false);
    expect(isKeptInUse({ key: 'Network/proxy', outcome: 'failed' })).toBe(false);
    expect(isKeptInUse({ key: 'Network/proxy', outcome: 'skipped', inUseBy: ['a'] })).toBe(false);
  });

  it('names one container or several, with what removes it', () => {
    expect(keptInUseText(['other-web'])).toBe(
      'kept, still used by container other-web (not deleted here); berth down removes it once no container uses it',
    );
    expect(keptInUseText(['a', 'b'])).toMatch(/^kept, still used by containers a, b \(not deleted/);
  });
});
