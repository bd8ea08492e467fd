import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectManifestFiles, isIgnoredName } from './collect.js';

const root = mkdtempSync(join(tmpdir(), 'berth-collect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

for (const path of [
  'app/b.yaml',
  'app/a.yml',
  'app/sub/c.yaml',
  'app/.hidden.yaml',
  'app/.git/config.yaml',
  'app/a.yaml~',
  'app/.#a.yaml',
  'app/#a.yaml#',
  'app/.a.yaml.swp',
  'app/notes.txt',
  'single.conf',
]) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), '');
}

describe('collectManifestFiles', () => {
  it('walks folders recursively, sorted, skipping hidden and editor files', async () => {
    const { files, problems } = await collectManifestFiles(['app'], root);
    expect(problems).toEqual([]);
    expect(files.map((f) => f.display)).toEqual(['app/a.yml', 'app/b.yaml', 'app/sub/c.yaml']);
    expect(files[0]?.absolute).toBe(join(root, 'app/a.yml'));
  });

  it('reads a named file whatever its extension, stdin as -, and drops repeats', async () => {
    const { files } = await collectManifestFiles(['single.conf', '-', 'app/b.yaml', 'app'], root);
    expect(files.map((f) => f.display)).toEqual([
      'single.conf',
      '<stdin>',
      'app/b.yaml',
      'app/a.yml',
      'app/sub/c.yaml',
    ]);
  });

  it('reports a missing path as E_IO with the path', async () => {
    const { files, problems } = await collectManifestFiles(['nope'], root);
    expect(files).toEqual([]);
    expect(problems).toEqual([
      { file: 'nope', line: 1, column: 1, code: 'E_IO', message: 'nope does not exist' },
    ]);
  });

  it('knows editor droppings', () => {
    for (const name of ['a~', '.#a', '#a#', 'a.swp', 'a.swo', '.env'])
      expect(isIgnoredName(name), name).toBe(true);
    for (const name of ['a.yaml', 'a#.yaml', 'swp.yaml'])
      expect(isIgnoredName(name), name).toBe(false);
  });
});
