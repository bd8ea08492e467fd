import { describe, expect, it } from 'vitest';
import { parseCopyEnd } from './cp.js';
import { parseSince, parseTail } from './logs.js';

describe('logs options', () => {
  const now = Date.parse('2024-05-01T10:00:00Z');
  it('reads --since as a duration, Unix seconds or a time', () => {
    expect(parseSince('10m', now)).toBe(((now - 600_000) / 1000).toFixed(3));
    expect(parseSince('1h30m', now)).toBe(((now - 5_400_000) / 1000).toFixed(3));
    expect(parseSince('1714557000', now)).toBe('1714557000');
    expect(parseSince('2024-05-01T09:00:00Z', now)).toBe('1714554000.000');
    expect(() => parseSince('yesterday-ish', now)).toThrow(/--since/);
  });

  it('reads --tail as a count or all', () => {
    expect(parseTail('5')).toBe(5);
    expect(parseTail('all')).toBeUndefined();
    expect(() => parseTail('-1')).toThrow(/--tail/);
  });
});

describe('cp arguments', () => {
  it('tells container paths from local ones as docker cp does', () => {
    expect(parseCopyEnd('web:/etc/app')).toEqual({ container: 'web', path: '/etc/app' });
    expect(parseCopyEnd('./web:x')).toEqual({ local: './web:x' });
    expect(parseCopyEnd('/tmp/a:b')).toEqual({ local: '/tmp/a:b' });
    expect(parseCopyEnd('-')).toEqual({ local: '-' });
  });
});
