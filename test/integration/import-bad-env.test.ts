import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE } from '../support/docker.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * F467/F543: a `.env` or env_file line berth's reader refuses passed import (exit 0) and was
 * copied, so `berth validate -f OUT` failed at the copy.
 */
describe('berth import with a .env or env_file berth cannot read', () => {
  function project(dotEnv: string, webEnv: string): string {
    const dir = tempDir('berth-import-badenv-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:\n  web:\n    image: ${TEST_IMAGE}\n    env_file: web.env\n    environment:\n      - A=\${A}\n`,
    );
    writeFileSync(join(dir, '.env'), dotEnv);
    writeFileSync(join(dir, 'web.env'), webEnv);
    mkdirSync(join(dir, 'out'));
    return dir;
  }

  it.each([
    [
      'A="unclosed\nZ=1\n',
      'M=1\n',
      '.env:1:1: the value opened with " is never closed; add the closing " [E_ENV_FILE]',
    ],
    ['A=1\nWEB PORT=18591\n', 'M=1\n', '.env:2:1: is not NAME=VALUE'],
    ['A=1\n', 'M=1\nN=2\n=novalue\n', 'web.env:3:1: is not NAME=VALUE'],
  ])(
    "refuses at the user's own file:line:col, nothing written (%#)",
    async (dotEnv, webEnv, problem) => {
      const dir = project(dotEnv, webEnv);
      const result = await berth(['import', '-o', 'out'], { cwd: dir });
      expect(result.stderr.startsWith(problem)).toBe(true);
      expect(result.stderr).not.toContain('not set');
      expect(result.stderr).not.toContain('18591');
      expect(result.code).toBe(1);
      expect(() => readFileSync(join(dir, 'out', 'web.yaml'))).toThrow();
      expect(() => readFileSync(join(dir, 'out', '.env'))).toThrow();
    },
  );
});
