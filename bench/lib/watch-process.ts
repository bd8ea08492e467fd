import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { BenchContext } from './context.js';
import { engineCall, labelFilter, type ListedContainer } from './engine-http.js';
import type { Sample } from './interleave.js';
import { sleep } from './proc.js';

export interface WatchProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `berth watch DIR -p P --listen 127.0.0.1:PORT` through the counting proxy and waits
 * until its status API answers and `expectRunning` containers of the project are running.
 * `source` is the folder, or the arguments naming another source (`['--git', URL, …]`).
 */
export async function startWatch(
  ctx: BenchContext,
  source: string | string[],
  project: string,
  port: number,
  expect: { running?: number; total: number },
): Promise<WatchProcess> {
  const child = spawn(
    process.execPath,
    [
      ctx.berthEntry,
      'watch',
      ...(Array.isArray(source) ? source : [source]),
      '-p',
      project,
      '--listen',
      `127.0.0.1:${port}`,
      '--log-level',
      'warn',
    ],
    {
      env: {
        ...process.env,
        DOCKER_HOST: `unix://${ctx.proxy.socketPath}`,
        XDG_STATE_HOME: ctx.stateDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out = (out + c.toString('utf8')).slice(-4000)));
  child.stderr?.on('data', (c: Buffer) => (out = (out + c.toString('utf8')).slice(-4000)));
  const w: WatchProcess = {
    child,
    pid: child.pid ?? 0,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`berth watch exited with ${child.exitCode}: ${out.trim().slice(-400)}`);
    if ((await healthy(port)) && (await settled(project, expect))) return w;
    await sleep(200);
  }
  await w.stop();
  throw new Error(`berth watch did not converge within 180 s: ${out.trim().slice(-400)}`);
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

async function settled(
  project: string,
  expect: { running?: number; total: number },
): Promise<boolean> {
  const listed = JSON.parse(
    await engineCall('GET', `/containers/json?all=1&${labelFilter(`berth.project=${project}`)}`),
  ) as ListedContainer[];
  const running = listed.filter((c) => c.State === 'running').length;
  return listed.length === expect.total && running === (expect.running ?? expect.total);
}

/** CPU time (user+system) of a process in seconds, from /proc (Linux only). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: field 14 (utime) and 15 (stime) of proc(5) are at 11 and 12 here.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Resident set size of a process in MB, from /proc. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

/**
 * CPU % of the watch process per window of at most 10 s over `seconds`, and its RSS (MB) at
 * the end of each window, as samples (`ms` holds the number).
 */
export async function idleWindows(
  pid: number,
  seconds: number,
): Promise<{ cpu: Sample[]; rss: Sample[]; window: number }> {
  const cpu: Sample[] = [];
  const rss: Sample[] = [];
  const window = Math.min(10, seconds);
  for (let t = 0; t < seconds; t += window) {
    const before = cpuSeconds(pid);
    await sleep(window * 1000);
    cpu.push({ ms: ((cpuSeconds(pid) - before) / window) * 100, ok: true });
    rss.push({ ms: rssMb(pid), ok: true });
  }
  return { cpu, rss, window };
}
