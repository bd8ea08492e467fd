import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE } from '../support/docker.js';
import { tempDir } from '../support/temp-dir.js';

/** F271: `import -o DIR` wrote over a hand-written manifest of the same name, silently. */
describe('berth import -o DIR next to hand-written manifests', () => {
  const mine = '# my hand-written manifest\napiVersion: berth/v1\nkind: Container\n';

  function project(): string {
    const dir = tempDir('berth-import-overwrite-');
    writeFileSync(join(dir, 'compose.yaml'), `services:\n  web:\n    image: ${TEST_IMAGE}\n`);
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'web.yaml'), mine);
    return dir;
  }

  it('refuses to write over a file it did not write: exit 1 naming it, nothing written', async () => {
    const dir = project();
    const result = await berth(['import', '-o', 'out'], { cwd: dir });
    expect(result.stderr).toBe(
      'out/web.yaml:1:1: exists and was not written by berth import; move it or pass --force [E_COMPOSE]\n',
    );
    expect(result.code).toBe(1);
    expect(readFileSync(join(dir, 'out', 'web.yaml'), 'utf8')).toBe(mine);
    expect(() => readFileSync(join(dir, 'out', '.env'))).toThrow();
  });

  it('writes over its own earlier output, and over any file with --force', async () => {
    const dir = project();
    expect((await berth(['import', '-o', 'out', '--force'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'web.yaml'), 'utf8')).toContain('name: web');
    const again = await berth(['import', '-o', 'out'], { cwd: dir });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
  });
});
