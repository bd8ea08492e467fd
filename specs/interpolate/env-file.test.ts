import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './env-file.js';

describe('parseEnvFile', () => {
  it('reads NAME=VALUE, export, quotes, comments and multi-line quoted values', () => {
    const text = [
      '# settings',
      'TAG=1.10',
      'export HOST=db',
      'SPACED = "a b"',
      "SINGLE='x $y'",
      '',
      'MULTI="one',
      'two"',
      'EMPTY=',
    ].join('\n');
    expect(parseEnvFile(text)).toEqual({
      variables: {
        TAG: '1.10',
        HOST: 'db',
        SPACED: 'a b',
        SINGLE: 'x $y',
        MULTI: 'one\ntwo',
        EMPTY: '',
      },
    });
  });

  it('refuses a line that is not NAME=VALUE, with its line number', () => {
    expect(parseEnvFile('A=1\nthis is not valid\nB=2\n')).toEqual({
      error: {
        line: 2,
        column: 1,
        code: 'E_ENV_FILE',
        message: expect.stringMatching(/^is not NAME=VALUE/),
      },
    });
    expect(parseEnvFile('A B=1\n')).toMatchObject({ error: { line: 1 } });
  });

  it('takes a bare NAME line from the lookup, and leaves it out when unset there, as Compose does (F178)', () => {
    const lookup = (name: string) => (name === 'FROM_HOST' ? 'x' : undefined);
    expect(parseEnvFile('A=1\nFROM_HOST\nexport MISSING\nB=${FROM_HOST}2\n', { lookup })).toEqual({
      variables: { A: '1', FROM_HOST: 'x', B: 'x2' },
    });
    expect(parseEnvFile('FROM_HOST\n')).toEqual({ variables: {} });
  });

  it('never shows the text of a line it refuses, and refuses a NUL (F103)', () => {
    const shadow = parseEnvFile('root:*:20228:0:99999:7:::\n');
    expect(JSON.stringify(shadow)).not.toContain('20228');
    const environ = parseEnvFile('TOKEN=tok-CANARY\u0000SHELL=/bin/sh\u0000');
    expect(environ).toMatchObject({ error: { line: 1, code: 'E_ENV_FILE' } });
    expect(JSON.stringify(environ)).not.toContain('CANARY');
  });

  it('refuses a quoted value that is never closed, at the line that opens it', () => {
    expect(parseEnvFile('A=1\nB="open\nC=3\n')).toMatchObject({
      error: { line: 2, message: expect.stringMatching(/never closed/) },
    });
  });

  describe('interpolation (Compose v2: unquoted and double-quoted values)', () => {
    const env = (vars: Record<string, string>) => ({ lookup: (name: string) => vars[name] });

    it('expands ${VAR} from earlier lines in unquoted and double-quoted values', () => {
      const text = [
        'INLINE=value # a comment',
        'REF=${INLINE}-ref',
        'BARE=$INLINE/x',
        'QUOTED="${INLINE} and ${REF}"',
        'URL=postgres://${DB_USER}:${DB_PASSWORD}@db/app',
      ].join('\n');
      const vars = { DB_USER: 'app', DB_PASSWORD: 'pw' };
      expect(parseEnvFile(text, env(vars))).toEqual({
        variables: {
          INLINE: 'value',
          REF: 'value-ref',
          BARE: 'value/x',
          QUOTED: 'value and value-ref',
          URL: 'postgres://app:pw@db/app',
        },
      });
    });

    it('keeps single-quoted values literal, and $$ is a literal $', () => {
      const text = ['A=1', "LIT='${A} $A'", 'DOLLAR=pa$$word', 'TAIL=cost: 5$'].join('\n');
      expect(parseEnvFile(text)).toEqual({
        variables: { A: '1', LIT: '${A} $A', DOLLAR: 'pa$word', TAIL: 'cost: 5$' },
      });
    });

    it('applies defaults, alternatives and nested operands', () => {
      const text = [
        'EMPTY=',
        'D1=${UNSET:-fallback}',
        'D2=${EMPTY:-fallback}',
        'D3=${EMPTY-kept}',
        'D4=${UNSET:-${EMPTY:-deep}}',
        'ALT=${EMPTY:+x}${D1:+y}',
      ].join('\n');
      expect(parseEnvFile(text)).toMatchObject({
        variables: { D1: 'fallback', D2: 'fallback', D3: '', D4: 'deep', ALT: 'y' },
      });
    });

    it('reads the lookup (the process environment) before the file, and only earlier lines', () => {
      const text = ['A=file', 'B=${A}', 'C=${LATER:-none}', 'LATER=x'].join('\n');
      expect(parseEnvFile(text, env({ A: 'env' }))).toMatchObject({
        variables: { B: 'env', C: 'none' },
      });
      expect(parseEnvFile('B=${A}-${X}', { earlier: { A: 'prev', X: 'x' } })).toEqual({
        variables: { B: 'prev-x' },
      });
    });

    it('refuses an unset variable without default at its line and column', () => {
      expect(parseEnvFile('A=1\nREF=pre-${MISSING}-post\n')).toEqual({
        error: {
          line: 2,
          column: 9,
          code: 'E_UNSET_VAR',
          message: expect.stringMatching(/^variable MISSING is not set \(in the value of REF\)/),
        },
        partial: { A: '1' },
      });
    });

    it('refuses ${VAR:?message} with VAR unset, and an unterminated ${, with positions', () => {
      expect(parseEnvFile('X=1\n  export NEED = "${TOKEN:?set the token}"\n')).toEqual({
        error: {
          line: 2,
          column: 18,
          code: 'E_UNSET_VAR',
          message: expect.stringMatching(/^variable TOKEN is not set: set the token/),
        },
        partial: { X: '1' },
      });
      expect(parseEnvFile('A=x\nB=ab${OPEN\n')).toMatchObject({
        error: { line: 2, column: 5, code: 'E_INTERPOLATION' },
      });
    });

    it('leaves an unset ${VAR} blank and names it when blankUnset (F188); ${VAR?m} still fails', () => {
      expect(parseEnvFile('A=1\nREF=pre-${MISSING}-$ALSO\n', { blankUnset: true })).toEqual({
        variables: { A: '1', REF: 'pre--' },
        blanked: [
          expect.objectContaining({ line: 2, column: 9, code: 'E_UNSET_VAR' }),
          expect.objectContaining({ line: 2, column: 20, code: 'E_UNSET_VAR' }),
        ],
      });
      expect(parseEnvFile('A=${NEED?set it}\n', { blankUnset: true })).toMatchObject({
        error: { line: 1, column: 3, code: 'E_UNSET_VAR' },
      });
    });

    it('keeps a value that does not resolve as written when lenient', () => {
      expect(parseEnvFile('A=${MISSING}\nB=2', { lenient: true })).toEqual({
        variables: { A: '${MISSING}', B: '2' },
      });
    });
  });
});
