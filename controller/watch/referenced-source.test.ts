import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderSource } from './folder-source.js';
import { referencedSource } from './referenced-source.js';
import type { SourceItem, WorkSource } from './work-reason.js';

/**
 * F122: the files the manifests reference are watched (and only those), each burst one
 * `manifest-changed`; a Kubernetes-style `..data` swap is a change too.
 */

let dir: string;
let started: WorkSource[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-refs-'));
  started = [];
});
afterEach(async () => {
  for (const s of started) await s.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Starts `source` and returns the paths of every item it pushes. */
async function collect(source: WorkSource): Promise<string[][]> {
  const pushed: string[][] = [];
  await source.start({
    push: (item: SourceItem) => {
      if (item.kind === 'manifest-changed') pushed.push(item.paths);
      return Promise.resolve();
    },
  });
  started.push(source);
  return pushed;
}

const settle = (ms = 700) => new Promise((r) => setTimeout(r, ms));

describe('the watch of referenced files', () => {
  it('pushes a change of a referenced file or of what a context sends, and nothing else', async () => {
    const ctx = join(dir, 'img');
    await mkdir(join(ctx, 'node_modules', 'dep'), { recursive: true });
    await writeFile(join(ctx, 'Dockerfile'), 'FROM scratch\n');
    await writeFile(join(ctx, '.dockerignore'), 'node_modules\n');
    await writeFile(join(ctx, 'msg.txt'), 'one');
    await writeFile(join(dir, 'pw.txt'), 'one');
    await writeFile(join(dir, 'other.txt'), 'one');
    const source = referencedSource();
    const pushed = await collect(source);
    await source.follow({
      files: [join(dir, 'pw.txt')],
      contexts: [{ dir: ctx, dockerfile: 'Dockerfile' }],
    });
    await settle();
    await writeFile(join(dir, 'other.txt'), 'two');
    await writeFile(join(ctx, 'node_modules', 'dep', 'index.js'), 'x');
    await settle();
    expect(pushed).toEqual([]);
    await writeFile(join(dir, 'pw.txt'), 'two');
    await settle();
    expect(pushed).toEqual([[join(dir, 'pw.txt')]]);
    // An editor's save: a temporary file renamed over the original.
    await writeFile(join(ctx, 'msg.txt.tmp'), 'two');
    await rename(join(ctx, 'msg.txt.tmp'), join(ctx, 'msg.txt'));
    await settle();
    expect(pushed.length).toBe(2);
    expect(pushed[1]).toContain(join(ctx, 'msg.txt'));
    // Not referenced any more: not watched any more.
    await source.follow({ files: [], contexts: [] });
    await writeFile(join(dir, 'pw.txt'), 'three');
    await writeFile(join(ctx, 'msg.txt'), 'three');
    await settle();
    expect(pushed).toEqual(pushed.slice(0, 2));
  });

  it('sees a Kubernetes-style swap of ..data, beside a referenced file and in the manifest folder', async () => {
    for (const v of ['..v1', '..v2']) {
      await mkdir(join(dir, v));
      await writeFile(join(dir, v, 'pw.txt'), v);
      await writeFile(join(dir, v, 'app.yaml'), `# ${v}\n`);
    }
    await symlink('..v1', join(dir, '..data'));
    await symlink('..data/pw.txt', join(dir, 'pw.txt'));
    await symlink('..data/app.yaml', join(dir, 'app.yaml'));
    const referenced = referencedSource();
    const fromRefs = await collect(referenced);
    await referenced.follow({ files: [join(dir, 'pw.txt')], contexts: [] });
    const fromFolder = await collect(folderSource(dir));
    await settle();
    await symlink('..v2', join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    await settle();
    expect(fromRefs.flat()).toContain(join(dir, '..data'));
    expect(fromFolder.flat()).toContain(join(dir, '..data'));
  });
});
