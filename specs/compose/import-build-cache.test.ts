import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadManifests } from '../index.js';
import { importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

describe('berth import: build.cache_from (F602)', () => {
  it('carries image references (and type=registry,ref=…) as cacheFrom; other cache backends are losses', async () => {
    const dir = tempDir('berth-import-cache-');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    const out = join(dir, 'out');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  app:',
        '    image: localhost/app:2',
        '    build:',
        '      context: .',
        '      cache_from:',
        '        - localhost/app:1',
        '        - type=registry,ref=localhost:5000/app:cache',
        '        - type=local,src=/tmp/cache',
        '',
      ].join('\n'),
    );
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
    const image = [...r.manifests.values()]
      .flatMap((t) => parseAllDocuments(t))
      .map((d) => d.toJS() as { kind: string; spec: { build: Record<string, unknown> } })
      .find((o) => o.kind === 'Image');
    expect(image?.spec.build.cacheFrom).toEqual(['localhost/app:1', 'localhost:5000/app:cache']);
    expect(r.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`)).toEqual([
      "9:11 services.app.build.cache_from[2]: type=local,src=/tmp/cache: the engine's build takes cache from images only (an image reference, or type=registry,ref=…)",
    ]);
    mkdirSync(out);
    for (const [name, text] of r.manifests) writeFileSync(join(out, name), text);
    const loaded = await loadManifests([out], { cwd: out });
    expect(loaded.problems).toEqual([]);
  });

  it('a cache_from of only image references is lossless', () => {
    const dir = tempDir('berth-import-cache-');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  app:\n    build: {context: ., cache_from: [localhost/app:1]}\n',
    );
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
    expect(r.losses).toEqual([]);
  });
});
