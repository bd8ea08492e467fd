import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildKey } from './build-key.js';
import { buildContentHash, listBuildContext } from './context.js';

const root = mkdtempSync(join(tmpdir(), 'berth-context-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function makeContext(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('listBuildContext', () => {
  it('lists sent files sorted, honouring .dockerignore, always sending Dockerfile and .dockerignore', async () => {
    const dir = makeContext('list', {
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'Dockerfile\n.dockerignore\nnode_modules\n**/*.log\n!keep.log\n',
      'src/app.js': 'x',
      'src/deep/debug.log': 'x',
      'keep.log': 'x',
      'node_modules/pkg/index.js': 'x',
    });
    expect(await listBuildContext(dir)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'keep.log',
      'src/app.js',
    ]);
  });

  it('sends a Dockerfile inside an ignored folder, and nothing else of it (issue 19 item 5)', async () => {
    const dir = makeContext('sub', {
      'docker/Dockerfile.prod': 'FROM scratch\n',
      'docker/notes.txt': 'x',
      '.dockerignore': 'docker\n',
      'app.js': 'x',
    });
    expect(await listBuildContext(dir, 'docker/Dockerfile.prod')).toEqual([
      '.dockerignore',
      'app.js',
      'docker/Dockerfile.prod',
    ]);
  });

  it('lists everything without a .dockerignore', async () => {
    const dir = makeContext('plain', { Dockerfile: 'FROM scratch\n', 'a/b.txt': 'x' });
    expect(await listBuildContext(dir)).toEqual(['Dockerfile', 'a/b.txt']);
  });
});

describe('buildContentHash', () => {
  it('changes with content, mode and Dockerfile, but not with ignored files', async () => {
    const dir = makeContext('hash', {
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': '*.tmp\n',
      'app.txt': 'one',
    });
    const base = await buildContentHash(dir, 'Dockerfile');
    expect(await buildContentHash(dir, 'Dockerfile')).toBe(base);

    writeFileSync(join(dir, 'scratch.tmp'), 'ignored');
    expect(await buildContentHash(dir, 'Dockerfile')).toBe(base);

    writeFileSync(join(dir, 'app.txt'), 'two');
    const changed = await buildContentHash(dir, 'Dockerfile');
    expect(changed).not.toBe(base);

    chmodSync(join(dir, 'app.txt'), 0o755);
    expect(await buildContentHash(dir, 'Dockerfile')).not.toBe(changed);

    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /\n');
    expect(await buildContentHash(dir, 'Dockerfile')).not.toBe(changed);
  });
});

describe('buildKey', () => {
  it('changes with the content hash, the args and the target (F546, F630)', () => {
    const base = buildKey({ contentHash: 'c1', args: { A: '1' } });
    expect(buildKey({ contentHash: 'c1', args: { A: '1' } })).toBe(base);
    expect(buildKey({ contentHash: 'c2', args: { A: '1' } })).not.toBe(base);
    expect(buildKey({ contentHash: 'c1', args: { A: '2' } })).not.toBe(base);
    expect(buildKey({ contentHash: 'c1', args: {} })).not.toBe(base);
    const staged = buildKey({ contentHash: 'c1', args: { A: '1' }, target: 'prod' });
    expect(staged).not.toBe(base);
    expect(buildKey({ contentHash: 'c1', args: { A: '1' }, target: 'dev' })).not.toBe(staged);
  });
});
