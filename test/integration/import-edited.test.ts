import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE } from '../support/docker.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * F542: a second `import -o DIR` wrote over manifests and the `.env` it had written earlier
 * even after the user edited them (an edited API_TOKEN went back), silently, exit 0.
 */
describe('berth import -o DIR over files the user edited since', () => {
  function project(): string {
    const dir = tempDir('berth-import-edited-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:\n  web:\n    image: ${TEST_IMAGE}\n    env_file: web.env\n    environment:\n      - TOKEN=\${API_TOKEN}\n`,
    );
    writeFileSync(join(dir, '.env'), 'API_TOKEN=tok-old\n');
    writeFileSync(join(dir, 'web.env'), 'MODE=prod\n');
    return dir;
  }
  const out = (dir: string, name: string) => readFileSync(join(dir, 'out', name), 'utf8');

  it('refuses, naming each edited file and no value, and writes nothing; --force overwrites', async () => {
    const dir = project();
    expect((await berth(['import', '-o', 'out'], { cwd: dir })).code).toBe(0);
    const web = out(dir, 'web.yaml') + '# mine\n';
    writeFileSync(join(dir, 'out', 'web.yaml'), web);
    writeFileSync(join(dir, 'out', '.env'), 'API_TOKEN=tok-NEW-secret\n');
    writeFileSync(join(dir, 'out', 'web.env'), 'MODE=dev\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      readFileSync(join(dir, 'compose.yaml'), 'utf8') + '    init: true\n',
    );
    const again = await berth(['import', '-o', 'out'], { cwd: dir });
    const why = 'edited since berth import wrote it; move it away or pass --force to overwrite';
    expect(again.stderr).toBe(
      [
        `out/web.yaml:1:1: ${why} [E_COMPOSE]`,
        `out/web.env:1:1: ${why} [E_COMPOSE]`,
        `out/.env:1:1: ${why} [E_COMPOSE]`,
        '3 problems; nothing written',
        '',
      ].join('\n'),
    );
    expect(again.code).toBe(1);
    expect(out(dir, 'web.yaml')).toBe(web);
    expect(out(dir, '.env')).toBe('API_TOKEN=tok-NEW-secret\n');
    expect(out(dir, 'web.env')).toBe('MODE=dev\n');
    const forced = await berth(['import', '-o', 'out', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(out(dir, 'web.yaml')).toContain('init: true');
    expect(out(dir, '.env')).toContain('API_TOKEN=tok-old');
  });

  it('rewrites files unchanged since the last import, and removes its stale manifests', async () => {
    const dir = project();
    expect((await berth(['import', '-o', 'out'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, '.env'), 'API_TOKEN=tok-two\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      readFileSync(join(dir, 'compose.yaml'), 'utf8') + '    init: true\n',
    );
    const again = await berth(['import', '-o', 'out'], { cwd: dir });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(out(dir, 'web.yaml')).toContain('init: true');
    expect(out(dir, '.env')).toContain('API_TOKEN=tok-two');
  });

  it('refuses to remove a stale manifest the user edited', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'compose.yaml'),
      readFileSync(join(dir, 'compose.yaml'), 'utf8') + `  db:\n    image: ${TEST_IMAGE}\n`,
    );
    expect((await berth(['import', '-o', 'out'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'out', 'db.yaml'), out(dir, 'db.yaml') + '# mine\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      readFileSync(join(dir, 'compose.yaml'), 'utf8').replace(/ {2}db:[^]*$/, ''),
    );
    const again = await berth(['import', '-o', 'out'], { cwd: dir });
    expect(again.stderr).toContain('out/db.yaml:1:1: edited since berth import wrote it');
    expect(again.code).toBe(1);
    expect(out(dir, 'db.yaml')).toContain('# mine');
  });
});
