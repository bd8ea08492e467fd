import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { loadManifests } from '../index.js';
import type { ContainerObject } from '../model.js';
import { importCompose } from './index.js';

describe('berth import: depends_on.<service>.restart', () => {
  it('is carried as dependsOn restart: true, and the output validates', async () => {
    const dir = tempDir('berth-import-dep-restart-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  db: {image: busybox:1}',
        '  app:',
        '    image: busybox:1',
        '    depends_on:',
        '      db: {condition: service_started, restart: true}',
        '  other:',
        '    image: busybox:1',
        '    depends_on:',
        '      db: {condition: service_started, restart: false}',
        '  odd:',
        '    image: busybox:1',
        '    depends_on:',
        '      db: {condition: service_started, restart: sometimes}',
        '',
      ].join('\n'),
    );
    const result = importCompose({
      files: ['compose.yaml'],
      cwd: dir,
      outDir: join(dir, 'out'),
      profiles: [],
    });
    expect(result.losses.map((l) => `${l.where.line}: ${l.path}: ${l.why}`)).toEqual([
      '14: services.odd.depends_on.db.restart: not true or false (nor a variable)',
    ]);
    const out = join(dir, 'out');
    mkdirSync(out, { recursive: true });
    for (const [name, text] of result.manifests) writeFileSync(join(out, name), text);
    const loaded = await loadManifests([out], { cwd: out });
    expect(loaded.problems).toEqual([]);
    const dependsOn = (name: string) =>
      (loaded.set.objects.find((o) => o.name === name) as ContainerObject).spec.dependsOn;
    expect(dependsOn('app')).toEqual([{ container: 'db', condition: 'started', restart: true }]);
    expect(dependsOn('other')).toEqual([{ container: 'db', condition: 'started' }]);
  });
});
