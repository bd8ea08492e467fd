import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runCli } from '../../controller/cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stdout or stderr that keeps what is written (not a TTY, as a pipe). */
export class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/** Runs the berth CLI in-process with captured output and its own environment. */
export async function berth(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string } = {},
): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const code = await runCli(args, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin,
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, BERTH_LOG_LEVEL: 'warn', ...options.env },
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * Runs the built CLI (`bin/berth.mjs`; the test set-up builds dist/) as a separate process,
 * as a user's shell does: nothing an earlier in-process run kept in memory (Secret values)
 * is there. Output is captured; the environment is the test's plus `env`.
 */
export function berthProcess(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin/berth.mjs'), ...args],
      {
        cwd: options.cwd ?? process.cwd(),
        env: { ...process.env, BERTH_LOG_LEVEL: 'warn', ...options.env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * The way in from Compose, as a user takes it: `berth import -o out` in `cwd` (lossless: exit
 * 0, nothing but warnings on stderr), then `berth validate -f out` and `berth apply -f out -p PROJECT`, each
 * expected to exit 0. Returns the three runs for the caller's own checks.
 */
export async function importValidateApply(
  cwd: string,
  project: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ imported: CliRun; valid: CliRun; applied: CliRun }> {
  const imported = await berth(['import', '-o', 'out', '-p', project], { cwd, env });
  // Warnings (`FILE:L:C: warning: …`, e.g. where docker compose kept a volume's data) are no loss.
  const losses = imported.stderr.split('\n').filter((l) => l && !/^\S+: warning: /.test(l));
  expect(losses, imported.stderr).toEqual([]);
  expect(imported.code).toBe(0);
  const valid = await berth(['validate', '-f', 'out'], { cwd, env });
  expect(valid.code, valid.stdout + valid.stderr).toBe(0);
  const applied = await berth(['apply', '-f', 'out', '-p', project], { cwd, env });
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  return { imported, valid, applied };
}
