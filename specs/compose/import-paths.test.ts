import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

interface Doc {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

/** Writes `files` (name → text) into a fresh project folder `proj`; returns it and an output folder beside it. */
function project(files: Record<string, string>): { dir: string; out: string } {
  const root = tempDir('berth-import-paths-');
  const dir = join(root, 'proj');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, out: join(root, 'out') };
}

function docs(result: ReturnType<typeof importCompose>): Doc[] {
  return [...result.manifests.values()].flatMap((t) =>
    parseAllDocuments(t).map((d) => d.toJS() as Doc),
  );
}

function spec(result: ReturnType<typeof importCompose>, kind: string, name: string) {
  return docs(result).find((o) => o.kind === kind && o.metadata.name === name)?.spec;
}

describe('berth import: relative paths resolve against the Compose project folder', () => {
  it('a host path held in a variable with a relative value points at the Compose folder, not the output folder (F190)', () => {
    const { dir, out } = project({
      'compose.yaml': [
        'services:',
        '  app:',
        '    build: ${CTX}',
        '    env_file: ${EF}',
        '    volumes: ["${UPLOAD_LOCATION}:/data", "${ABS}:/abs", "${UNSET_DIR:-/srv}:/srv"]',
        '    secrets: [pw]',
        'secrets:',
        '  pw:',
        '    file: ${PWF}',
        '',
      ].join('\n'),
      '.env': 'UPLOAD_LOCATION=./library\nCTX=./ctx\nEF=./x.env\nPWF=pw.txt\nABS=/var/lib/x\n',
      'ctx/Dockerfile': 'FROM scratch\n',
      'x.env': 'A=1\n',
      'pw.txt': 'secret\n',
      'library/photo.jpg': '',
    });
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
    const binds = docs(r).filter((o) => o.kind === 'BindMount');
    expect(binds.map((b) => b.spec.hostPath).sort()).toEqual([
      '${ABS:-}',
      '${UNSET_DIR:-/srv}',
      '../proj/library',
    ]);
    expect(binds.find((b) => b.spec.hostPath === '../proj/library')?.spec.type).toBe('Directory');
    expect((spec(r, 'Image', 'app')?.build as { context: string }).context).toBe('../proj/ctx');
    expect(spec(r, 'Container', 'app')?.envFiles).toEqual(['./x.env']);
    expect([...r.copies]).toEqual([[join(dir, 'x.env'), 'x.env']]);
    expect(spec(r, 'Secret', 'pw')?.file).toBe('../proj/pw.txt');
    expect([...r.manifests.values()].join('\n')).toContain(
      '# hostPath: ${UPLOAD_LOCATION} is ./library at import, a relative path that Compose resolves against the Compose project folder',
    );
    expect(r.losses).toEqual([]);
  });

  it('an override file in a subfolder resolves its paths against the project folder, as docker compose does (F198)', () => {
    const { dir, out } = project({
      'compose.yaml': 'services:\n  a:\n    image: localhost/x:1\n',
      'overrides/prod.yaml':
        'services:\n  a:\n    volumes: ["./data:/data"]\n    env_file: ./prod.env\n',
      'prod.env': 'P=1\n',
      'data/keep': '',
    });
    const r = importCompose({
      files: ['compose.yaml', 'overrides/prod.yaml'],
      cwd: dir,
      outDir: out,
      profiles: [],
    });
    expect(r.losses).toEqual([]);
    expect(docs(r).find((o) => o.kind === 'BindMount')?.spec.hostPath).toBe('../proj/data');
    expect([...r.copies]).toEqual([[join(dir, 'prod.env'), 'prod.env']]);
  });
});

describe('berth import: env files copied beside the manifests keep distinct names', () => {
  const compose = [
    'services:',
    '  a: {image: localhost/x:1, env_file: a/.env}',
    '  b: {image: localhost/x:1, env_file: b/.env}',
    '  c: {image: localhost/x:1, env_file: .env}',
    '  d: {image: localhost/x:1, env_file: [conf/app.env, app.env]}',
    '',
  ].join('\n');
  const files = {
    'compose.yaml': compose,
    'a/.env': 'WHO=a\n',
    'b/.env': 'WHO=b\n',
    '.env': 'TOP=1\n',
    'conf/app.env': 'X=1\n',
    'app.env': 'Y=1\n',
  };

  it('never `.env` (import writes the project .env there) and never one name for two files (F176)', () => {
    const { dir, out } = project(files);
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
    expect(
      Object.fromEntries([...r.copies].map(([from, to]) => [from.slice(dir.length + 1), to])),
    ).toEqual({
      'a/.env': 'a.env',
      'b/.env': 'b.env',
      '.env': 'compose.env',
      'conf/app.env': 'conf-app.env',
      'app.env': 'app.env',
    });
    expect(['a', 'b', 'c', 'd'].map((n) => spec(r, 'Container', n)?.envFiles)).toEqual([
      ['./a.env'],
      ['./b.env'],
      ['./compose.env'],
      ['./conf-app.env', './app.env'],
    ]);
  });

  it('when only printing, the manifests name each env file at its own path (nothing is copied)', () => {
    const { dir } = project(files);
    const r = importCompose({
      files: ['compose.yaml'],
      cwd: dir,
      outDir: dir,
      profiles: [],
      copyFiles: false,
    });
    expect(r.copies.size).toBe(0);
    expect(spec(r, 'Container', 'a')?.envFiles).toEqual(['./a/.env']);
    expect(spec(r, 'Container', 'c')?.envFiles).toEqual(['./.env']);
  });
});

describe('berth import: an optional env file that is missing (F183)', () => {
  it('is left out with a warning that a file made later is not read', () => {
    const { dir, out } = project({
      'compose.yaml':
        'services:\n  web:\n    image: localhost/x:1\n    env_file: [app.env, {path: local.env, required: false}]\n',
      'app.env': 'A=1\n',
    });
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
    expect(r.losses).toEqual([]);
    expect(spec(r, 'Container', 'web')?.envFiles).toEqual(['./app.env']);
    expect(r.warnings.map((w) => `${w.where.line}:${w.where.column}: ${w.message}`)).toEqual([
      // At the entry itself (F240), not at the env_file key.
      '4:25: services.web.env_file[1]: local.env is optional and missing, so it is left out; docker compose would read it once it exists, berth will not: import again (or add it to envFiles) after creating it',
    ]);
  });
});
