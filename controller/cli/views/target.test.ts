import { describe, expect, it } from 'vitest';
import { parseTarget, selects } from './target.js';
import type { BerthError } from '../../errors.js';

describe('parseTarget', () => {
  it('accepts kinds in any case, plural and short', () => {
    expect(['Container', 'containers', 'CTR'].map((t) => parseTarget(t).kind)).toEqual([
      'Container',
      'Container',
      'Container',
    ]);
    expect(parseTarget('net/backend')).toEqual({ kind: 'Network', name: 'backend' });
    expect(parseTarget('bm')).toEqual({ kind: 'BindMount' });
    expect(parseTarget('vol').kind).toBe('Volume');
    expect(parseTarget('images').kind).toBe('Image');
    expect(parseTarget(undefined)).toEqual({});
  });

  it('refuses unknown kinds and empty names as usage errors', () => {
    expect(() => parseTarget('pod/web')).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect(() => parseTarget('container/')).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });

  it('names every kind in the hint, and KIND/NAME when a bare name was given', () => {
    const hintOf = (raw: string): string => {
      try {
        parseTarget(raw);
      } catch (error) {
        return String((error as BerthError).context.hint);
      }
      return '';
    };
    for (const kind of ['secret', 'config', 'bindmount', 'volume'])
      expect(hintOf('web')).toContain(kind);
    expect(hintOf('web')).toContain('container/web');
    expect(hintOf('pod/web')).not.toContain('container/pod');
  });

  it('selects by kind and name', () => {
    const web = { kind: 'Container' as const, name: 'web' };
    expect(selects({}, web)).toBe(true);
    expect(selects({ kind: 'Container' }, web)).toBe(true);
    expect(selects({ kind: 'Network' }, web)).toBe(false);
    expect(selects({ kind: 'Container', name: 'api' }, web)).toBe(false);
  });
});
