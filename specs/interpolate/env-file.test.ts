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
      error: { line: 2, message: expect.stringMatching(/"this is not valid" is not NAME=VALUE/) },
    });
    expect(parseEnvFile('A B=1\n')).toMatchObject({ error: { line: 1 } });
  });

  it('refuses a quoted value that is never closed, at the line that opens it', () => {
    expect(parseEnvFile('A=1\nB="open\nC=3\n')).toMatchObject({
      error: { line: 2, message: expect.stringMatching(/never closed/) },
    });
  });
});
