import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Capture } from '../support/cli.js';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { berthManifest } from '../../bench/lib/workload.js';
import { runCli } from '../../controller/cli/program.js';

/** The shipped CLI (the esbuild bundle behind bin/berth.mjs), as a user runs it. */

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'berth-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function berth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return node(['bin/berth.mjs', ...args]);
}

/**
 * The same CLI run from its TypeScript sources (ES modules, no bundle, no code cache), in this
 * process with the environment the bundle gets: `runCli` is what controller/cli/main.ts runs
 * for every verb compared here, and a separate `node --import tsx` cost about 1.4 s of CPU a
 * run compiling the sources.
 */
async function fromSource(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(args, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    env: { ...process.env, XDG_STATE_HOME: join(work, 'state'), NO_COLOR: '1' },
    cwd: process.cwd(),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function node(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      env: { ...process.env, XDG_STATE_HOME: join(work, 'state'), NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Runs the bundle with a stdout pipe that is closed before it writes (as `| head -1` does). */
function withClosedStdout(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['bin/berth.mjs', ...args], {
    env: { ...process.env, XDG_STATE_HOME: join(work, 'state'), NO_COLOR: '1' },
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('the berth bundle', () => {
  it('ends quietly with exit 0 when the reader of its output has gone (EPIPE)', async () => {
    for (const args of [
      ['exec', '--help'],
      ['completion', 'bash'],
      ['validate', '-f', 'examples/'],
    ])
      expect(await withClosedStdout(...args), args.join(' ')).toEqual({ code: 0, stderr: '' });
  });

  it('answers --version with the package version', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    const result = await berth('--version');
    expect(result).toEqual({ code: 0, stdout: `berth ${version}\n`, stderr: '' });
  });

  it('validates the examples: exit 0, the count on stdout', async () => {
    const result = await berth('validate', '-f', 'examples/');
    expect(result.code).toBe(0);
    // One manifest per example folder (examples/<name>/<name>.yaml).
    const manifests = readdirSync('examples', { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.yaml'),
    );
    expect(manifests.length).toBeGreaterThan(2);
    expect(result.stdout).toMatch(
      new RegExp(
        `^valid: \\d+ objects in ${manifests.length} files( \\(\\+ the default network\\))?\n$`,
      ),
    );
  });

  it('validate starts from the CommonJS bundle with its code cache, and prints what the sources print', async () => {
    // The build's own validate of examples/ wrote the cache, so the bundle ran (cached-bundle.ts).
    const chunks = readdirSync('dist/chunks');
    expect(chunks.filter((f) => /^cli-\w+\.cjs$/.test(f))).toHaveLength(1);
    expect(chunks.filter((f) => f.endsWith(`.${process.version}.cache`))).toHaveLength(1);
    // Read and decoded on every start: ASCII decodes as one byte a character (build.mjs).
    const bundle = chunks.find((f) => f.endsWith('.cjs')) ?? '';
    const text = readFileSync(join('dist/chunks', bundle), 'utf8');
    expect(text).not.toMatch(/[^\p{ASCII}]/u);
    // Only validate's command is in it (build.mjs): the other verbs run from the ES chunks.
    for (const verb of ['apply', 'watch', 'import', 'status'])
      expect(text).toContain(`../commands/${verb}.js is not in the validate bundle`);
    expect(text).not.toContain('../commands/validate.js is not in');
    for (const args of [
      ['validate', '-f', 'test/corpus/bad'],
      ['validate', '-f', 'test/corpus/bad', '-o', 'json'],
      ['validate', '-f', 'test/corpus/good', '-o', 'yaml'],
      ['validate', '-f', 'examples/', '--policy', 'privileged'],
      ['validate', '--bogus'],
    ])
      expect(await berth(...args), args.join(' ')).toEqual(await fromSource(...args));
  });

  it('validate reads a large manifest on two threads and prints what the sources print', async () => {
    // specs/parse/yaml-helper.ts: a worker reads the second half of a file of 64 KB or more.
    expect(readdirSync('dist/chunks').filter((f) => /^yaml-worker-\w+\.cjs$/.test(f))).toHaveLength(
      1,
    );
    const site = join(work, 'site');
    const text = berthManifest({
      project: 'bench-e2e',
      n: 300,
      init: true,
      envValue: 'a',
      state: 'running',
      siteDir: site,
    });
    expect(text.length).toBeGreaterThan(80_000);
    const lines = text.split('\n');
    const late = lines.findIndex(
      (l, i) => i > lines.length * 0.8 && l.startsWith('  restartPolicy'),
    );
    const files = {
      'large.yaml': text,
      // Problems past the middle, in the worker's half: each at its exact file:line:col.
      'large-bad.yaml': [
        ...lines.slice(0, late),
        '  restartPolicy: Sometimes',
        '  bogus: 1',
        ...lines.slice(late + 1),
      ].join('\n'),
      'large-syntax.yaml': [...lines.slice(0, late), '  labels: {a: 1', ...lines.slice(late)].join(
        '\n',
      ),
    };
    for (const [name, content] of Object.entries(files)) {
      const file = join(work, name);
      writeFileSync(file, content);
      const args = ['validate', '-f', file, ...(name === 'large-bad.yaml' ? ['-o', 'json'] : [])];
      expect(await berth(...args), args.join(' ')).toEqual(await fromSource(...args));
    }
    expect(await berth('validate', '-f', join(work, 'large.yaml'))).toEqual({
      code: 0,
      stdout: `valid: 302 objects in 1 file\n`,
      stderr: '',
    });
  });

  it('reports every problem as file:line:col on stdout, exit 1; -o json gives the same as a list', async () => {
    const file = join(work, 'bad.yaml');
    writeFileSync(
      file,
      'apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  image: x\n  restartPolicy: Sometimes\n  bogus: 1\n',
    );
    const text = await berth('validate', '-f', file);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${file}:6:18:`);
    expect(text.stdout).toContain('[E_SCHEMA]');
    expect(text.stdout).toMatch(new RegExp(`${file}:7:3: .*\\[E_UNKNOWN_FIELD\\]`));
    const json = await berth('validate', '-f', file, '-o', 'json');
    expect(json.code).toBe(1);
    const list = JSON.parse(json.stdout) as {
      file: string;
      line: number;
      column: number;
      code: string;
    }[];
    expect(list.map((p) => `${p.line}:${p.column}:${p.code}`).sort()).toEqual([
      '6:18:E_SCHEMA',
      '7:3:E_UNKNOWN_FIELD',
    ]);
  });

  it('an unreachable engine: one line naming the address, exit 4', async () => {
    const result = await berth(
      'plan',
      '-f',
      'examples/hello',
      '--engine',
      'unix:///nonexistent.sock',
    );
    expect(result.code).toBe(4);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('unix:///nonexistent.sock');
  });

  it('an unknown verb is a usage error, exit 1', async () => {
    const result = await berth('frobnicate');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});
