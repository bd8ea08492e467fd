import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE } from '../support/docker.js';

/**
 * Compose's own variables, which public apps often set in `.env`: COMPOSE_FILE picks the
 * files (instead of compose.yaml + compose.override.yaml), COMPOSE_PROJECT_NAME the project
 * (over `name:`), COMPOSE_PROFILES the profiles; the environment wins over `.env`, -p and
 * --profile over both.
 */

const dir = mkdtempSync(join(tmpdir(), 'berth-compose-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
write(
  'compose.yaml',
  `name: fromname\nservices:\n  app:\n    image: ${TEST_IMAGE}\n  dbg:\n    image: ${TEST_IMAGE}\n    profiles: [debug]\n`,
);
write('compose.override.yaml', 'services:\n  app:\n    environment: {MODE: override}\n');
write('compose.prod.yaml', 'services:\n  app:\n    environment: {MODE: prod}\n');
write(
  '.env',
  'COMPOSE_FILE=compose.yaml:compose.prod.yaml\nCOMPOSE_PROJECT_NAME=fromdotenv\nCOMPOSE_PROFILES=debug\n',
);

describe('berth import reads COMPOSE_FILE, COMPOSE_PROJECT_NAME and COMPOSE_PROFILES', () => {
  it('from .env, as docker compose does', async () => {
    const out = await berth(['import', '-o', 'a'], { cwd: dir });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('from compose.yaml, compose.prod.yaml into a/');
    expect(out.stdout).toContain('a/.env names the project fromdotenv');
    expect(readFileSync(join(dir, 'a', '.env'), 'utf8')).toContain(
      '\nCOMPOSE_PROJECT_NAME=fromdotenv\n',
    );
    expect(readFileSync(join(dir, 'a', 'app.yaml'), 'utf8')).toContain('MODE: prod');
    expect(readFileSync(join(dir, 'a', 'dbg.yaml'), 'utf8')).toContain('name: dbg');
  });

  it('the environment wins over .env, and -p / --profile / -f over both', async () => {
    const env = { COMPOSE_PROJECT_NAME: 'fromshell', COMPOSE_FILE: 'compose.yaml' };
    const shell = await berth(['import', '-o', 'b'], { cwd: dir, env });
    expect(shell.stdout).toContain('from compose.yaml into b/');
    expect(shell.stdout).toContain('b/.env names the project fromshell');
    const flags = ['import', '-o', 'c', '-p', 'fromflag', '-f', 'compose.yaml', '--profile', 'x'];
    const flagged = await berth(flags, { cwd: dir, env });
    expect(flagged.stdout).toContain('c/.env names the project fromflag');
    expect(readFileSync(join(dir, 'c', '.env'), 'utf8')).toMatch(
      /\nCOMPOSE_PROJECT_NAME=fromflag\n$/,
    );
    expect(flagged.stdout).toContain('imported 1 object');
  });

  it('-f DIR/compose.yaml from another folder reads DIR/.env: the same project wherever run from (F197)', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'berth-compose-env-cwd-'));
    try {
      const env = { COMPOSE_PROJECT_NAME: undefined, COMPOSE_FILE: undefined };
      const file = join(dir, 'compose.yaml');
      const out = await berth(['import', '-f', file, '-o', 'd'], { cwd: elsewhere, env });
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain('d/.env names the project fromdotenv');
      // The user's lines as written: COMPOSE_PROJECT_NAME kept in place, nothing appended.
      expect(readFileSync(join(elsewhere, 'd', '.env'), 'utf8')).toBe(
        readFileSync(join(dir, '.env'), 'utf8'),
      );
      expect(readFileSync(join(elsewhere, 'd', 'dbg.yaml'), 'utf8')).toContain('name: dbg');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
