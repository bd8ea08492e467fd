import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE } from '../support/docker.js';

/**
 * F12: `berth import` of a Compose file docker compose refuses (a volume or network one typo
 * from a declared one, an undeclared service, a restart policy or size no engine takes) exits 1
 * with every problem at its field, and writes nothing: no output folder is created, an
 * existing one is left exactly as it was. (A volume or network no file declares and nothing
 * resembles is a platform's, imported as external: specs/compose/fragments.ts.)
 */

const work = mkdtempSync(join(tmpdir(), 'berth-import-invalid-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes `compose.yaml` with one service `web` plus `extra` lines into a fresh folder. */
function app(name: string, extra: string[], tail: string[] = []): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const lines = ['services:', '  web:', `    image: ${TEST_IMAGE}`, ...extra, ...tail, ''];
  writeFileSync(join(dir, 'compose.yaml'), lines.join('\n'));
  return dir;
}

describe('berth import of an invalid Compose file (F12)', () => {
  it.each([
    [
      'volume',
      ['    volumes: [./data:/data, /srv/x:/x, pg_dat:/data2]', 'volumes: {pg_data: {}}'],
      'compose.yaml:4:40: service "web" refers to undefined volume pg_dat',
      'E_REFERENCE',
    ],
    [
      'network',
      ['    networks: [default, bak]', 'networks: {back: {}}'],
      'compose.yaml:4:25: service "web" refers to undefined network bak',
      'E_REFERENCE',
    ],
    [
      'service',
      ['    depends_on: [nosvc]'],
      'compose.yaml:4:18: service "web" depends on undefined service "nosvc"',
      'E_REFERENCE',
    ],
    [
      'dependency cycle (F189)',
      ['    depends_on: [db]', '  db:', `    image: ${TEST_IMAGE}`, '    depends_on: [web]'],
      'compose.yaml:7:18: service "db" depends on "web": dependency cycle detected: web -> db -> web',
      'E_CYCLE',
    ],
    [
      'restart',
      ['    restart: sometimes'],
      "compose.yaml:4:5: services.web.restart: invalid restart policy 'sometimes'",
      'E_SCHEMA',
    ],
    [
      'nested type (F344)',
      ['    logging: {options: {max-size: [10m]}}'],
      'compose.yaml:4:35: services.web.logging.options.max-size: must be a string or a number',
      'E_COMPOSE',
    ],
    [
      'memory',
      ['    mem_limit: lots'],
      "compose.yaml:4:5: services.web.mem_limit: invalid size: 'lots'",
      'E_QUANTITY',
    ],
    [
      'profile choice: every service behind one, none active (F500)',
      [
        '    profiles: [debug]',
        '  tool:',
        `    image: ${TEST_IMAGE}`,
        '    profiles: [tools, debug]',
      ],
      'compose.yaml:2:3: every service is behind a profile (debug, tools) and none is active: choose one with --profile (nothing imported)',
      'E_COMPOSE',
    ],
  ])(
    'undefined or bad %s: exit 1 at the field, no output folder',
    async (name, extra, at, code) => {
      const cwd = app(name, extra);
      const run = await berth(['import', '-o', 'out'], { cwd });
      expect(run.stderr.startsWith(at), run.stderr).toBe(true);
      expect(run.stderr.trimEnd().endsWith(`[${code}]`), run.stderr).toBe(true);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(existsSync(join(cwd, 'out'))).toBe(false);
    },
  );

  it('names every problem of a file, not only the first, and leaves an earlier import untouched', async () => {
    const cwd = app('all', ['    volumes: [data:/data]'], ['volumes: {data: {}}']);
    const first = await berth(['import', '-o', 'out'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(join(cwd, 'out', 'web.yaml'), 'utf8');

    writeFileSync(
      join(cwd, 'compose.yaml'),
      [
        'services:',
        '  web:',
        `    image: ${TEST_IMAGE}`,
        '    volumes: [dta:/data]',
        '    networks: [bak]',
        '    depends_on: [nosvc]',
        '    restart: sometimes',
        '    mem_limit: lots',
        'volumes: {data: {}}',
        'networks: {back: {}}',
        '',
      ].join('\n'),
    );
    const run = await berth(['import', '-o', 'out'], { cwd });
    expect(run.code).toBe(1);
    expect(
      run.stderr
        .trimEnd()
        .split('\n')
        .map((l) => l.replace(/: .*\[/, ' ['))
        .join('\n'),
    ).toBe(
      [
        'compose.yaml:4:15 [E_REFERENCE]',
        'compose.yaml:5:16 [E_REFERENCE]',
        'compose.yaml:6:18 [E_REFERENCE]',
        'compose.yaml:7:5 [E_SCHEMA]',
        'compose.yaml:8:5 [E_QUANTITY]',
        '5 problems; nothing written',
      ].join('\n'),
    );
    expect(readFileSync(join(cwd, 'out', 'web.yaml'), 'utf8')).toBe(before);
    expect(existsSync(join(cwd, 'out', 'volumes.yaml'))).toBe(true);
    expect(existsSync(join(cwd, 'out', 'networks.yaml'))).toBe(false);
  });

  it('refuses an output folder that holds the Compose files it reads, writing nothing (F192a)', async () => {
    const cwd = app('self', [], []);
    writeFileSync(join(cwd, 'compose.override.yaml'), 'services:\n  web:\n    init: true\n');
    const run = await berth(['import', '-o', '.'], { cwd });
    expect(run.stderr).toBe(
      'compose.yaml:1:1: the output folder . holds this Compose file, which berth apply -f . would read as a manifest: write the manifests to a folder of their own (e.g. -o berth) [E_COMPOSE]\n',
    );
    expect(run.code).toBe(1);
    expect(readdirSync(cwd).sort()).toEqual(['compose.override.yaml', 'compose.yaml']);
    const nested = await berth(['import', '-f', 'self/compose.yaml', '-o', '.'], { cwd: work });
    expect(nested.code, nested.stderr).toBe(1);
    expect(existsSync(join(work, 'web.yaml'))).toBe(false);
  });

  it('a Compose override met by validate is not offered for import on its own (F192b)', async () => {
    const cwd = app('hint', [], []);
    writeFileSync(join(cwd, 'compose.override.yaml'), 'services:\n  web:\n    init: true\n');
    const main = await berth(['validate', '-f', 'compose.yaml'], { cwd });
    expect(main.stdout).toContain(
      'convert it with berth import -f compose.yaml -o DIR, then use DIR',
    );
    const override = await berth(['validate', '-f', 'compose.override.yaml'], { cwd });
    expect(override.code).toBe(1);
    expect(override.stdout).toContain(
      'convert its project with berth import -f <the main Compose file> -o DIR (override and extends files are read with it), then use DIR',
    );
    expect(override.stdout).not.toContain('-f compose.override.yaml');
  });
});
