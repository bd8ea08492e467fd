import { spawn } from 'node:child_process';
import { childrenCpuMs } from './machine-load.js';

export interface Timed {
  /** Exit code; -1 when the run was killed for exceeding its timeout. */
  code: number;
  ms: number;
  /**
   * CPU time of the child (user + system, ms; childrenCpuMs): what the run cost, whatever
   * else the machine ran meanwhile. Undefined where it cannot be read.
   */
  cpuMs?: number;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

/**
 * Runs a command to completion and measures its wall time from spawn to exit, and its CPU
 * time. A run that outlives its timeout is killed and reported as timedOut (the bench counts
 * hangs, it never drops them).
 */
export function timedRun(cmd: string, args: string[], options: RunOptions = {}): Promise<Timed> {
  return new Promise((resolve) => {
    const cpuBefore = childrenCpuMs();
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 300_000);
    const finish = (code: number) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const timed: Timed = { code: timedOut ? -1 : code, ms, timedOut, stdout, stderr };
      // 'close' comes after the exit, so the child has been waited for and counted.
      const cpuAfter = childrenCpuMs();
      if (cpuBefore !== undefined && cpuAfter !== undefined) timed.cpuMs = cpuAfter - cpuBefore;
      resolve(timed);
    };
    child.on('error', (e) => {
      stderr += String(e);
      finish(127);
    });
    child.on('close', (code) => finish(code ?? -1));
  });
}

/** Milliseconds taken by an async function. */
export async function timeIt(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
