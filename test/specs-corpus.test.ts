import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../specs/problems.js';
import {
  engineApiProblems,
  engineFieldProblems,
  limitedFieldLabel,
  limitedFieldUses,
  loadManifests,
} from '../specs/index.js';

const BAD = join(import.meta.dirname, 'corpus', 'bad');
const badFiles = readdirSync(BAD)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** `# expect: LINE:COL CODE` lines at the top of a corpus file. */
function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (\d+:\d+ [A-Z_]+)\s*$/gm)].map((m) => m[1] ?? '').sort();
}

const tmp = mkdtempSync(join(tmpdir(), 'berth-corpus-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bad-input corpus', () => {
  it('has at least 45 files, each with expectations', () => {
    expect(badFiles.length).toBeGreaterThanOrEqual(45);
    for (const file of badFiles) {
      expect(expectations(readFileSync(join(BAD, file), 'utf8')), file).not.toHaveLength(0);
    }
  });

  it.each(badFiles)('%s reports exactly the expected problems', async (file) => {
    const expected = expectations(readFileSync(join(BAD, file), 'utf8'));
    const result = await loadManifests([join(BAD, file)]);
    const got = result.problems.map((p) => `${p.line}:${p.column} ${p.code}`).sort();
    expect(got).toEqual(expected);
    for (const problem of result.problems) {
      expect(problem.message.length, problem.message).toBeGreaterThan(10);
      expect(problem.file).toBe(join(BAD, file));
    }
  });

  it('covers every problem code (with the generated cases below)', () => {
    const generated = ['E_IO', 'E_FILE_TOO_LARGE', 'E_FILE_ENCODING', 'E_ENV_FILE', 'E_ENGINE_API'];
    generated.push('E_ENGINE_FIELD');
    // Not a problem of the files alone: berth watch's (controller/watch/desired-store.test.ts,
    // desired-store-engines.test.ts).
    generated.push('E_PLACEMENT', 'E_ENGINE_UNASKED');
    // A warning, never a problem: specs/normalise/secret-short-warning.test.ts.
    generated.push('W_SECRET_SHORT');
    const covered = new Set(generated);
    for (const file of badFiles) {
      for (const e of expectations(readFileSync(join(BAD, file), 'utf8')))
        covered.add(e.split(' ')[1] ?? '');
    }
    expect([...covered].sort()).toEqual(Object.keys(PROBLEM_CODES).sort());
  });
});

describe('generated bad input', () => {
  it('refuses a field the engine API cannot carry with E_ENGINE_API naming the version', async () => {
    const file = join(tmp, 'subpath.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: berth/v1',
        'kind: Volume',
        'metadata: {name: data}',
        '---',
        'apiVersion: berth/v1',
        'kind: Container',
        'metadata: {name: web}',
        'spec:',
        '  image: busybox:1',
        '  mounts: [{volume: data, target: /data, subpath: app}]',
        '',
      ].join('\n'),
    );
    const { set, problems: read } = await loadManifests([file]);
    expect(read).toEqual([]);
    const problems = engineApiProblems(set.objects, '1.41');
    expect(problems.map((p) => [p.line, p.column, p.code])).toEqual([[10, 51, 'E_ENGINE_API']]);
    expect(problems[0]?.message).toMatch(/needs Engine API 1\.45; the engine speaks 1\.41/);
    expect(engineApiProblems(set.objects, '1.45')).toEqual([]);
  });

  it('refuses a field the engine says it cannot carry with E_ENGINE_FIELD, once per place written', async () => {
    const file = join(tmp, 'domainname.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: berth/v1',
        'kind: Container',
        'metadata: {name: web}',
        'spec:',
        '  image: busybox:1',
        '  replicas: 2',
        '  domainname: corp',
        '  mounts: [{tmpfs: /c, gid: 1000}]',
        '  logging: {driver: json-file, options: {max-file: 3}}',
        '',
      ].join('\n'),
    );
    const engineLimits = {
      engine: 'Podman 4.3.1',
      cannotCarry: [
        { field: 'domainname', why: 'it drops it' },
        { field: 'mounts[].uid/gid of a tmpfs', why: 'it refuses it' },
      ],
    } as const;
    const { set, problems: read } = await loadManifests([file]);
    expect(read).toEqual([]);
    const problems = engineFieldProblems(set.objects, engineLimits);
    expect(problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [7, 15, 'E_ENGINE_FIELD'],
      [8, 29, 'E_ENGINE_FIELD'],
    ]);
    expect(problems[0]?.message).toBe(
      'Container "web": domainname cannot be carried by the engine (Podman 4.3.1): it drops it',
    );
    expect(engineApiProblems(set.objects, '1.41')).toEqual([]);
  });

  it('lists every use of a field some engine or API version cannot carry, once per place written (F391)', async () => {
    const file = join(tmp, 'limited.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: berth/v1',
        'kind: Container',
        'metadata: {name: web}',
        'spec:',
        '  image: busybox:1',
        '  replicas: 2',
        '  domainname: corp',
        '  healthcheck: {command: [CMD, "true"], startInterval: 1s}',
        '',
      ].join('\n'),
    );
    const { set, problems: read } = await loadManifests([file]);
    expect(read).toEqual([]);
    const uses = limitedFieldUses(set.objects).map((u) => [u.at.line, u.field, u.object.name]);
    expect(uses).toEqual([
      [7, 'domainname', 'web-1'],
      [8, 'healthcheck.startInterval', 'web-1'],
    ]);
    const replica = set.objects.find((o) => o.name === 'web-2');
    expect(limitedFieldLabel(replica!)).toBe('Container "web"');
  });

  it('refuses a file over 1 MiB with E_FILE_TOO_LARGE', async () => {
    const file = join(tmp, 'huge.yaml');
    writeFileSync(file, `# ${'x'.repeat(1024 * 1024)}\n`);
    const { problems } = await loadManifests([file]);
    expect(problems.map((p) => p.code)).toEqual(['E_FILE_TOO_LARGE']);
    expect(problems[0]?.message).toMatch(/1 MiB/);
  });

  it('refuses a binary file (NUL byte) with E_FILE_ENCODING at the byte', async () => {
    const file = join(tmp, 'binary.yaml');
    writeFileSync(file, Buffer.from('apiVersion: berth/v1\nkind: \0Volume\n'));
    const { problems } = await loadManifests([file]);
    expect(problems.map((p) => [p.line, p.column, p.code])).toEqual([[2, 7, 'E_FILE_ENCODING']]);
  });

  it('refuses invalid UTF-8 with E_FILE_ENCODING', async () => {
    const file = join(tmp, 'latin1.yaml');
    writeFileSync(file, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    const { problems } = await loadManifests([file]);
    expect(problems.map((p) => p.code)).toEqual(['E_FILE_ENCODING']);
  });

  it('refuses a malformed .env line with file:line, applying nothing', async () => {
    const folder = join(tmp, 'dotenv');
    mkdirSync(folder);
    writeFileSync(join(folder, '.env'), 'TAG=1\nnot an assignment\n');
    copyFileSync(
      join(import.meta.dirname, 'corpus', 'good', 'minimal.yaml'),
      join(folder, 'a.yaml'),
    );
    const { problems } = await loadManifests(['dotenv'], { cwd: tmp });
    expect(problems.map((p) => `${p.file}:${p.line} ${p.code}`)).toEqual([
      `${join('dotenv', '.env')}:2 E_ENV_FILE`,
    ]);
    expect(problems[0]?.message).toMatch(/^is not NAME=VALUE/);
    expect(problems[0]?.message).not.toContain('not an assignment');
  });

  it('reports a missing path as E_IO naming it', async () => {
    const { problems } = await loadManifests(['no/such/place.yaml'], { cwd: tmp });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'no/such/place.yaml', code: 'E_IO' });
    expect(problems[0]?.message).toContain('no/such/place.yaml');
  });

  it('reports every problem of a broken file next to a good one in a folder', async () => {
    const folder = join(tmp, 'mixed');
    mkdirSync(folder);
    copyFileSync(
      join(import.meta.dirname, 'corpus', 'good', 'minimal.yaml'),
      join(folder, 'a-good.yaml'),
    );
    copyFileSync(join(BAD, 'many-problems.yaml'), join(folder, 'b-broken.yaml'));
    const result = await loadManifests(['mixed'], { cwd: tmp });
    const broken = join('mixed', 'b-broken.yaml');
    expect(result.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.code}`)).toEqual([
      `${broken}:7:9 E_NAME`,
      `${broken}:10:3 E_UNKNOWN_FIELD`,
      `${broken}:16:10 E_REFERENCE`,
    ]);
    const good = result.files.find((f) => f.file === join('mixed', 'a-good.yaml'));
    expect(good?.problems).toEqual([]);
    expect(good?.objects.map((o) => o.name)).toEqual(['default', 'hello', 'cache', 'anchors']);
    expect(result.files.find((f) => f.file === broken)?.problems).toHaveLength(3);
  });
});
