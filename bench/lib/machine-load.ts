import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

/**
 * CPU time of the bench's children and the machine's load, beside the wall times (F280): on a
 * shared machine a wall time says as much about the other tenants as about berth.
 */

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks a second (USER_HZ, the unit of /proc's times): 100 unless getconf says otherwise. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU time (user + system, ms) of every child of this process that has ended and been
 * waited for so far (`cutime` + `cstime` of /proc/self/stat, as `getrusage(RUSAGE_CHILDREN)`
 * counts it: a child's threads and its own waited-for children included). The difference
 * across one child's run is that child's CPU time when it is the only child ending meanwhile
 * (the start-up scenarios run one at a time). In clock ticks (10 ms here), so a sample is
 * ±1 tick; the medians of a scenario's runs are what to read. Undefined where there is no
 * /proc (not Linux).
 */
export function childrenCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which is in parentheses and may hold spaces: state is
  // field 3, cutime and cstime fields 16 and 17 (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]);
  return Number.isFinite(ticks) ? (ticks * 1000) / clockTicks() : undefined;
}

/** The 1-minute load average and the cores it is to be read against. */
export interface LoadSample {
  load1: number;
  cores: number;
}

export function loadNow(): LoadSample {
  return { load1: Math.round((loadavg()[0] ?? 0) * 100) / 100, cores: availableParallelism() };
}

/** The load of a scenario's runs: when they started and when they ended. */
export interface ScenarioLoad {
  start: number;
  end: number;
  cores: number;
}

/**
 * Whether the runs shared the machine with more work than it has cores (the 1-minute load
 * average at or above the core count, at the start or the end): then a wall time also
 * measures the wait for a core, and the CPU time is the figure that compares builds.
 */
export function busyMachine(load: ScenarioLoad): boolean {
  return Math.max(load.start, load.end) >= load.cores;
}

/** Runs `work` and says what the load was when it started and ended. */
export async function underLoad<T>(
  work: () => Promise<T>,
): Promise<{ result: T; load: ScenarioLoad }> {
  const start = loadNow();
  const result = await work();
  return { result, load: { start: start.load1, end: loadNow().load1, cores: start.cores } };
}
