import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpolate } from './resolve.js';
import { parseTemplate, variablesIn } from './template.js';

const vars: Record<string, string> = { TAG: '1.2', EMPTY: '', HOST: 'db', B: 'bee' };
const lookup = (name: string): string | undefined => vars[name];
const value = (text: string): string => {
  const result = interpolate(text, lookup);
  if ('error' in result) throw new Error(result.error.message);
  return result.value;
};
const error = (text: string) => {
  const result = interpolate(text, lookup);
  return 'error' in result ? result.error : undefined;
};

describe('interpolate (Compose rules)', () => {
  it.each([
    ['app:${TAG}', 'app:1.2'],
    ['app:$TAG-x', 'app:1.2-x'],
    ['${MISSING:-dflt}', 'dflt'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${MISSING-dflt}', 'dflt'],
    ['${TAG:-dflt}', '1.2'],
    ['${TAG:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${MISSING+alt}', ''],
    ['${TAG:?needed}', '1.2'],
    ['${EMPTY?needed}', ''],
    ['${A:-${MISSING:-x}}', 'x'],
    ['${A:-${B:-x}}', 'bee'],
    ['${A:-$HOST:5432}', 'db:5432'],
    ['$$TAG and $${TAG}', '$TAG and ${TAG}'],
    ['cost: $5, $ alone, 100$', 'cost: $5, $ alone, 100$'],
    ['$(id -u)', '$(id -u)'],
    ['${A:-a b {c}', 'a b {c'],
  ])('%s → %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it('refuses an unset variable without a default, at its expression', () => {
    expect(error('x ${NOPE} y')).toEqual({
      code: 'E_UNSET_VAR',
      offset: 2,
      expression: '${NOPE}',
      message: 'variable NOPE is not set',
    });
    // Bare, as a shell writes its variables: how to pass it to the container's shell (F861).
    expect(error('$NOPE')?.message).toBe(
      "variable NOPE is not set (for the container's shell to expand, write $$NOPE)",
    );
    // Only the operand that is used must resolve.
    expect(error('${TAG:-${NOPE}}')).toBeUndefined();
    expect(error('${MISSING:-${NOPE}}')).toMatchObject({ offset: 11, expression: '${NOPE}' });
  });

  it('gives the message of ${VAR:?message} and ${VAR?message}', () => {
    expect(error('${NOPE:?set NOPE to the db password}')?.message).toBe(
      'variable NOPE is not set: set NOPE to the db password',
    );
    expect(error('${EMPTY:?must not be empty}')?.message).toBe(
      'variable EMPTY is empty: must not be empty',
    );
    expect(error('${NOPE?}')?.message).toBe('variable NOPE is not set');
    expect(error('${NOPE:?ask $HOST}')?.message).toBe('variable NOPE is not set: ask db');
  });

  it('refuses syntax it does not know, at the mistake', () => {
    expect(error('a ${TAG')).toMatchObject({ code: 'E_INTERPOLATION', offset: 2 });
    expect(error('a ${TAG')?.message).toMatch(/unterminated \$\{TAG/);
    expect(error('${A:-${B:-x}')?.message).toMatch(/unterminated \$\{A/);
    expect(error('${')?.message).toMatch(/unterminated/);
    expect(error('${1X}')).toMatchObject({ code: 'E_INTERPOLATION', offset: 0 });
    expect(error('${A/x/y}')).toMatchObject({ code: 'E_INTERPOLATION', offset: 3 });
  });

  it('finds every variable, nested ones too, without resolving', () => {
    expect(variablesIn('${A:-${B:-x}} $C $$D').map((v) => v.name)).toEqual(['A', 'B', 'C']);
    expect(variablesIn('no vars $$ here')).toEqual([]);
    expect(Array.isArray(parseTemplate('${oops'))).toBe(false);
  });

  it('gives back any text whose $ are written $$ (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('$', '{', '}', 'A', ':', '-', ' ') }), (s) => {
        expect(value(s.replace(/\$/g, () => '$$'))).toBe(s);
      }),
    );
  });

  it('never throws and leaves $-free text alone (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const result = interpolate(s, lookup);
        if (!s.includes('$')) expect(result).toEqual({ value: s });
      }),
    );
  });
});
