import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

describe("berth import: Compose's !reset and !override merge tags (F177)", () => {
  it('an override file drops what it resets and replaces what it overrides, at any depth', () => {
    const dir = tempDir('berth-import-tags-');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        '    build: {context: ., args: {A: "1", B: "2"}}',
        '    ports: ["127.0.0.1:18972:80"]',
        '    environment: {DEBUG: "1", SECRET_IN_DEV: devpw}',
        '    volumes: [./src:/src]',
        '    labels: {a: "1", b: "2"}',
        '  dev-only: {image: localhost/x:1}',
        'volumes:',
        '  scratch: {}',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'compose.prod.yaml'),
      [
        'services:',
        '  web:',
        '    build: {args: !override {C: "3"}}',
        '    ports: !override ["127.0.0.1:18974:82"]',
        '    environment: !reset {}',
        '    volumes: !reset []',
        '    labels: {b: "3"}',
        '  dev-only: !reset null',
        'volumes: !reset {}',
        '',
      ].join('\n'),
    );
    const r = importCompose({
      files: ['compose.yaml', 'compose.prod.yaml'],
      cwd: dir,
      outDir: dir,
      profiles: [],
    });
    const docs = [...r.manifests.values()].flatMap((t) =>
      parseAllDocuments(t).map(
        (d) =>
          d.toJS() as { kind: string; metadata: { name: string; labels?: object }; spec: object },
      ),
    );
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'Container/web',
      'Image/web',
    ]);
    const web = docs.find((d) => d.kind === 'Container')!;
    expect(web.spec).toMatchObject({ ports: ['127.0.0.1:18974:82'] });
    expect(web.spec).not.toHaveProperty('env');
    expect(web.spec).not.toHaveProperty('mounts');
    expect(web.metadata.labels).toEqual({ a: '1', b: '3' });
    const image = docs.find((d) => d.kind === 'Image')!;
    expect(image.spec).toMatchObject({ build: { args: { C: '3' } } });
    expect(r.losses).toEqual([]);
  });
});

describe('berth import: !reset on a sequence item, and tags Compose does not know (F241)', () => {
  it('drops a !reset item from its list and names an unknown tag as a loss at its place', () => {
    const dir = tempDir('berth-import-item-tags-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        '    image: !Ref localhost/berth-busybox:1',
        '    ports:',
        '      - "127.0.0.1:18975:80"',
        '      - !reset "127.0.0.1:18976:81"',
        '    labels: !rest {a: "1"}',
        '',
      ].join('\n'),
    );
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
    const docs = [...r.manifests.values()].flatMap((t) =>
      parseAllDocuments(t).map((d) => d.toJS() as { kind: string; spec: object }),
    );
    expect(docs.find((d) => d.kind === 'Container')?.spec).toMatchObject({
      image: 'localhost/berth-busybox:1',
      ports: ['127.0.0.1:18975:80'],
    });
    expect(r.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`)).toEqual([
      '3:17 services.web.image: the YAML tag !Ref is not one Compose knows (only !reset and !override): the value is read as if untagged',
      '7:19 services.web.labels: the YAML tag !rest is not one Compose knows (only !reset and !override): the value is read as if untagged',
    ]);
  });
});
