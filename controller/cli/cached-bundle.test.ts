import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCachedBundle } from './cached-bundle.js';

const work = mkdtempSync(join(tmpdir(), 'berth-cached-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Fake {
  twice: (n: number) => number;
  dir: string;
  joined: string;
}

/** A CommonJS bundle alone in a folder of its own: what it sees of require, __dirname and module. */
function fakeBundle(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const file = join(dir, 'cli-ABC.cjs');
  writeFileSync(
    file,
    [
      "const { join } = require('node:path');",
      'function twice(n) { return n * 2; }',
      "module.exports = { twice, dir: __dirname, joined: join('a', 'b') };",
    ].join('\n'),
  );
  return file;
}

const cacheName = `cli-ABC.${process.version}.cache`;

describe('loadCachedBundle', () => {
  it('gives undefined when there is no bundle (run from source), so the caller loads the ES modules', () => {
    expect(loadCachedBundle(join(work, 'none', 'cli-ABC.cjs'))).toBeUndefined();
  });

  it('runs the bundle as CommonJS; the first run writes the code cache, the next one takes it', () => {
    const file = fakeBundle('first');
    const first = loadCachedBundle<Fake>(file);
    expect(first?.exports.twice(21)).toBe(42);
    expect(first?.exports.dir).toBe(join(work, 'first'));
    expect(first?.exports.joined).toBe(join('a', 'b'));
    expect(first?.usedCache).toBe(false);
    first?.saveCache();
    expect(readdirSync(join(work, 'first')).sort()).toEqual(['cli-ABC.cjs', cacheName]);

    const second = loadCachedBundle<Fake>(file);
    expect(second?.usedCache).toBe(true);
    expect(second?.exports.twice(4)).toBe(8);
  });

  it('a cache V8 rejects (another V8, other flags, damaged) costs time only: the bundle still runs, the cache is left alone', () => {
    const file = fakeBundle('damaged');
    const cache = join(work, 'damaged', cacheName);
    writeFileSync(cache, 'not a code cache');
    const loaded = loadCachedBundle<Fake>(file);
    expect(loaded?.usedCache).toBe(false);
    expect(loaded?.exports.twice(5)).toBe(10);
    loaded?.saveCache();
    // Rewriting it would make two configurations (NODE_OPTIONS with V8 flags and without) take turns.
    expect(readFileSync(cache, 'utf8')).toBe('not a code cache');
  });

  it('a cache it cannot write (a read-only install) is none, and no error', () => {
    const file = fakeBundle('readonly');
    rmSync(join(work, 'readonly'), { recursive: true });
    mkdirSync(join(work, 'readonly', cacheName + `.${process.pid}.tmp`), { recursive: true });
    writeFileSync(file, "module.exports = { twice: (n) => n * 2, dir: __dirname, joined: '' };");
    const loaded = loadCachedBundle<Fake>(file);
    expect(() => loaded?.saveCache()).not.toThrow();
    expect(readdirSync(join(work, 'readonly'))).not.toContain(cacheName);
  });
});
