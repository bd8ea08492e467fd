import { join } from 'node:path';
import type { CountingProxy } from './api-proxy.js';
import { timedRun, type Timed } from './proc.js';
import type { Sample } from './interleave.js';
import { writeWorkload, type Workload } from './workload.js';

/** Everything a scenario needs: where to write, how many runs, and how to reach each tool. */
export interface BenchContext {
  mode: 'full' | 'quick' | 'smoke';
  root: string;
  /** The berth CLI entry run by node: bin/berth.mjs, or BENCH_BERTH to measure another build. */
  berthEntry: string;
  workDir: string;
  /**
   * Start of every project name of this run, so cleanup touches only this run's objects:
   * `bench-` for full and quick runs, `bench-smoke<pid>-` for a smoke run, which may share
   * the engine with other tests.
   */
  prefix: string;
  /** XDG_STATE_HOME for every berth run, so the bench never touches the user's records. */
  stateDir: string;
  proxy: CountingProxy;
  /** False in --smoke, or when docker-compose could not be installed. */
  compose: boolean;
  runs: number;
  warmup: number;
  timeoutMs: number;
  log(line: string): void;
}

/** Runs the built berth CLI against the engine through the counting proxy. */
export function berthCli(ctx: BenchContext, args: string[]): Promise<Timed> {
  return timedRun(process.execPath, [ctx.berthEntry, ...args], {
    env: {
      ...process.env,
      DOCKER_HOST: `unix://${ctx.proxy.socketPath}`,
      XDG_STATE_HOME: ctx.stateDir,
    },
    timeoutMs: ctx.timeoutMs,
  });
}

/**
 * Runs docker-compose 1.29 through the proxy. COMPOSE_PARALLEL_LIMIT must be at least N:
 * with 64, `up` of 100 containers hung here (36 created after 160 s, issue 7 saw the same at
 * the default); with 256 it finished in 43 s.
 */
export function composeCli(
  ctx: BenchContext,
  file: string,
  project: string,
  args: string[],
): Promise<Timed> {
  return timedRun('docker-compose', ['-p', project, '-f', file, ...args], {
    env: {
      ...process.env,
      DOCKER_HOST: `unix://${ctx.proxy.socketPath}`,
      COMPOSE_PARALLEL_LIMIT: '256',
    },
    timeoutMs: ctx.timeoutMs,
  });
}

/**
 * Runs one counted, timed tool invocation: the proxy's counts are reset first, so the
 * sample carries exactly the engine requests of this run. `okCodes` are the exit codes that
 * mean success for this command.
 */
export async function countedSample(
  ctx: BenchContext,
  run: () => Promise<Timed>,
  okCodes = [0],
): Promise<Sample> {
  ctx.proxy.reset();
  const t = await run();
  const ok = okCodes.includes(t.code);
  const sample: Sample = {
    ms: t.ms,
    ...(t.cpuMs === undefined ? {} : { cpuMs: t.cpuMs }),
    ok,
    timedOut: t.timedOut,
    calls: ctx.proxy.counts(),
    mutations: ctx.proxy.mutations(),
    stdout: t.stdout,
  };
  if (!ok)
    sample.error = `exit ${t.code}${t.timedOut ? ' (timed out)' : ''}: ${(t.stderr || t.stdout).trim().slice(-300)}`;
  return sample;
}

/** A workload for one tool in one scenario (project `<prefix><name>`); files in workDir/<project>/. */
export function workloadFor(
  ctx: BenchContext,
  name: string,
  shape: Omit<Workload, 'project' | 'siteDir'>,
): { w: Workload; berthDir: string; composeFile: string } {
  const project = `${ctx.prefix}${name}`;
  const dir = join(ctx.workDir, project);
  const w: Workload = { ...shape, project, siteDir: join(ctx.workDir, 'site') };
  return { w, ...writeWorkload(dir, w) };
}

/** Throws with the tool's output when a set-up step (not measured) fails. */
export function mustSucceed(what: string, t: Timed): void {
  if (t.code !== 0)
    throw new Error(
      `${what} failed (exit ${t.code}): ${(t.stderr || t.stdout).trim().slice(-400)}`,
    );
}
