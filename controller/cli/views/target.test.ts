import { describe, expect, it } from 'vitest';
import { bareNameError, isKindless, parseTarget, selects } from './target.js';
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

  it('offers the nearest kind for a misspelt one (F668 b)', () => {
    const messageOf = (raw: string) => {
      try {
        parseTarget(raw);
      } catch (error) {
        return (error as BerthError).message;
      }
      return '';
    };
    expect(messageOf('containerz')).toBe('unknown kind "containerz"; did you mean "container"?');
    expect(messageOf('netwrok/backend')).toBe('unknown kind "netwrok"; did you mean "network"?');
    expect(messageOf('pod/web')).toBe('unknown kind "pod"');
  });

  it('names the command meant for a bare object name, every kind of that name (F668 a)', () => {
    expect(isKindless('web', undefined)).toBe(true);
    expect(isKindless('containers', undefined)).toBe(false);
    expect(isKindless('web', 'x')).toBe(false);
    expect(isKindless('container/web', undefined)).toBe(false);
    const keys = ['Image/web', 'Container/web', 'Container/db', 'Network/default'];
    expect(bareNameError('describe', 'web', keys)?.message).toBe(
      'unknown kind "web"; did you mean "berth describe image web" or "berth describe container web"?',
    );
    expect(bareNameError('get', 'db', keys)?.message).toBe(
      'unknown kind "db"; did you mean "berth get container db"?',
    );
    expect(bareNameError('describe', 'cache', keys)).toBeUndefined();
  });

  it('selects by kind and name', () => {
    const web = { kind: 'Container' as const, name: 'web' };
    expect(selects({}, web)).toBe(true);
    expect(selects({ kind: 'Container' }, web)).toBe(true);
    expect(selects({ kind: 'Network' }, web)).toBe(false);
    expect(selects({ kind: 'Container', name: 'api' }, web)).toBe(false);
  });
});
