import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';

const tmp = mkdtempSync(join(tmpdir(), 'berth-vars-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const manifest = `apiVersion: berth/v1
kind: Container
metadata: {name: web, labels: {tag: "\${TAG}"}}
spec:
  image: localhost/web:\${TAG}
  env: {FROM: "\${FROM:-none}", LITERAL: "$$HOME", PORT: 08080}
`;

function app(name: string, files: Record<string, string>): string {
  const folder = join(tmp, name);
  mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
  return folder;
}

async function container(paths: string[], options: Parameters<typeof loadManifests>[1]) {
  const result = await loadManifests(paths, options);
  expect(result.problems).toEqual([]);
  const object = result.set.objects.find((o) => o.kind === 'Container');
  if (object?.kind !== 'Container') throw new Error('expected a container');
  return object;
}

describe('variables from the environment and env files', () => {
  it('reads .env beside the folder given to -f; the process environment wins', async () => {
    const folder = app('dotenv', { 'web.yaml': manifest, '.env': 'TAG=2.0\nFROM=dotenv\n' });
    const web = await container([folder], { env: { FROM: 'process' } });
    expect(web.spec.image.ref).toBe('localhost/web:2.0');
    expect(web.labels.tag).toBe('2.0');
    expect(web.spec.env).toEqual({ FROM: 'process', LITERAL: '$HOME', PORT: '08080' });
    // A file path finds .env in its folder too.
    const file = await container([join(folder, 'web.yaml')], { env: {} });
    expect(file.spec.env.FROM).toBe('dotenv');
  });

  it('uses --env-file files instead of .env, later files winning', async () => {
    const folder = app('envfiles', {
      'web.yaml': manifest,
      '.env': 'TAG=ignored\n',
      'a.env': 'TAG=a\nFROM=a\n',
      'b.env': 'FROM=b\n',
    });
    const web = await container(['web.yaml'], {
      cwd: folder,
      env: {},
      envFiles: ['a.env', 'b.env'],
    });
    expect(web.spec.image.ref).toBe('localhost/web:a');
    expect(web.spec.env.FROM).toBe('b');
  });

  it('interpolates .env and --env-file values: the environment, then earlier files and lines', async () => {
    const folder = app('expand', {
      'web.yaml': manifest,
      '.env': 'INLINE=value # a comment\nREF=${INLINE}-ref\nTAG="${REF}"\nFROM=${WHO:-x}\n',
      'a.env': 'BASE=a\n',
      'b.env': "TAG=${BASE}-${V}\nFROM='${BASE}'\n",
    });
    const dotenv = await container([folder], { env: { WHO: 'me' } });
    expect(dotenv.spec.image.ref).toBe('localhost/web:value-ref');
    expect(dotenv.spec.env.FROM).toBe('me');
    const files = await container(['web.yaml'], {
      cwd: folder,
      env: { V: '2' },
      envFiles: ['a.env', 'b.env'],
    });
    expect(files.spec.image.ref).toBe('localhost/web:a-2');
    expect(files.spec.env.FROM).toBe('${BASE}');
  });

  it('refuses an env file value whose variable is unset, at its place in the file', async () => {
    const folder = app('expand-unset', {
      'web.yaml': manifest,
      '.env': 'TAG=1\nFROM=${NOT_SET}\n',
    });
    const result = await loadManifests([folder], { env: {} });
    expect(result.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.code}`)).toEqual([
      `${join(folder, '.env')}:2:6 E_UNSET_VAR`,
    ]);
  });

  it('refuses a missing --env-file and an unset variable, declaring nothing', async () => {
    const folder = app('unset', { 'web.yaml': manifest });
    const result = await loadManifests(['web.yaml'], {
      cwd: folder,
      env: {},
      envFiles: ['missing.env'],
    });
    expect(result.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.code}`)).toEqual([
      'missing.env:1:1 E_IO',
      'web.yaml:3:38 E_UNSET_VAR',
      'web.yaml:5:24 E_UNSET_VAR',
    ]);
    expect(result.set.objects).toEqual([]);
  });

  it('never changes which keys exist: keys are not interpolated', async () => {
    const text = manifest.replace('FROM:', '"${KEY}":');
    const web = await container(['-'], { stdin: text, env: { TAG: '1', KEY: 'X' } });
    expect(Object.keys(web.spec.env).sort()).toEqual(['${KEY}', 'LITERAL', 'PORT']);
  });

  it('points a problem inside an interpolated value at its source', async () => {
    const text = manifest.replace('  env:', '  ports: ["${PORT}:80"]\n  env:');
    const result = await loadManifests(['-'], { stdin: text, env: { TAG: '1', PORT: 'abc' } });
    expect(result.problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`)).toEqual([
      '6:11 E_PORT Container "web": spec.ports[0] "abc:80" is not a port mapping [ip:]host:container[/proto]',
    ]);
  });
});
