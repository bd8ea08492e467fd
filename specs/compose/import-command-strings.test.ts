import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ComposeInputError, importCompose } from './index.js';
import { shellWords } from './values.js';
import { tempDir } from '../../test/support/temp-dir.js';

/** The first problem import reports for a one-service compose.yaml, as `file:line:col: msg`. */
function refusal(line: string): string {
  const dir = tempDir('berth-import-command-');
  writeFileSync(
    join(dir, 'compose.yaml'),
    ['services:', '  main:', '    image: localhost/berth-busybox:1', line, ''].join('\n'),
  );
  try {
    importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
  } catch (e) {
    if (e instanceof ComposeInputError)
      return `${e.where.file}:${e.where.line}:${e.where.column}: ${e.message}`;
    throw e;
  }
  return 'imported';
}

describe('berth import: a command string docker compose cannot split is refused (F265)', () => {
  it('an unterminated quote, at the field', () => {
    expect(refusal(`    command: 'echo "unterminated'`)).toBe(
      'compose.yaml:4:5: services.main.command: unterminated quote (" is never closed)',
    );
    // An apostrophe in a shell string (the trial's realistic case).
    expect(refusal(`    entrypoint: 'echo it''s; trap "exit 0" TERM'`)).toBe(
      "compose.yaml:4:5: services.main.entrypoint: unterminated quote (' is never closed)",
    );
  });

  it('a trailing backslash', () => {
    expect(refusal(`    command: 'echo a\\'`)).toBe(
      'compose.yaml:4:5: services.main.command: ends in a backslash that escapes nothing',
    );
  });

  it('what splits still imports, as shlex splits it', () => {
    expect(refusal(`    command: 'echo "a b" c\\\\ d ''e f'' g\\\\'`)).toBe('imported');
    expect(shellWords(`echo "a b" c\\ d 'e f' g\\\\`)).toEqual([
      'echo',
      'a b',
      'c d',
      'e f',
      'g\\',
    ]);
  });
});
