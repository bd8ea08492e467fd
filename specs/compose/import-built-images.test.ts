import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

describe('berth import: services that run an image another service builds (F186)', () => {
  it('run the built Image object, not a pulled literal ref', () => {
    const dir = tempDir('berth-import-built-');
    mkdirSync(join(dir, 'img'));
    writeFileSync(join(dir, 'img', 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web: {build: ./img, image: localhost/app:1}',
        '  worker: {image: localhost/app:1}',
        '  bare: {build: ./img, image: app}',
        '  uses-bare: {image: app}',
        '  other: {image: localhost/other:1}',
        '',
      ].join('\n'),
    );
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
    const docs = [...r.manifests.values()].flatMap((t) =>
      parseAllDocuments(t).map(
        (d) => d.toJS() as { kind: string; metadata: { name: string }; spec: { image?: string } },
      ),
    );
    const images = Object.fromEntries(
      docs.filter((d) => d.kind === 'Container').map((d) => [d.metadata.name, d.spec.image]),
    );
    expect(images).toEqual({
      web: 'web',
      worker: 'web',
      bare: 'bare',
      'uses-bare': 'bare',
      other: 'localhost/other:1',
    });
    expect(docs.filter((d) => d.kind === 'Image').map((d) => d.metadata.name)).toEqual([
      'bare',
      'web',
    ]);
    expect(r.losses).toEqual([]);
    expect(r.manifests.get('worker.yaml')).toContain(
      '# image: localhost/app:1 is built by services.web here: this container runs that Image (web)',
    );
  });
});

describe('berth import: a pull_policy on a service that runs a built image (F242)', () => {
  it('runs the built Image object, with no pulled Image of its own', () => {
    const dir = tempDir('berth-import-built-pull-');
    mkdirSync(join(dir, 'img'));
    writeFileSync(join(dir, 'img', 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web: {build: ./img, image: localhost/app:1}',
        '  worker: {image: localhost/app:1, pull_policy: always}',
        '  cron: {image: localhost/app:1, pull_policy: never}',
        '  other: {image: localhost/other:1, pull_policy: always}',
        '',
      ].join('\n'),
    );
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
    expect(r.losses).toEqual([]);
    const docs = [...r.manifests.values()].flatMap((t) =>
      parseAllDocuments(t).map(
        (d) => d.toJS() as { kind: string; metadata: { name: string }; spec: { image?: string } },
      ),
    );
    const containers = Object.fromEntries(
      docs.filter((d) => d.kind === 'Container').map((d) => [d.metadata.name, d.spec.image]),
    );
    expect(containers).toEqual({ web: 'web', worker: 'web', cron: 'web', other: 'other' });
    const images = docs.filter((d) => d.kind === 'Image').map((d) => d.metadata.name);
    expect(images.sort()).toEqual(['other', 'web']);
  });
});
