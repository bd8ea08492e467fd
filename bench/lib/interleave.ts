import type { CallCounts, Mutation } from './api-proxy.js';
import { summarise } from './stats.js';
import type { ToolResult } from './results.js';

/** The outcome of one measured run. */
export interface Sample {
  ms: number;
  /** CPU time of the process the run started (user + system, ms), when it started one. */
  cpuMs?: number;
  ok: boolean;
  timedOut?: boolean;
  error?: string;
  calls?: CallCounts;
  /** What the tool printed on stdout, for checks of what it reports. */
  stdout?: string;
  /** The mutating engine requests of this run, when counted through the proxy. */
  mutations?: Mutation[];
  /** Set when the run finished but its check found it did not do the work it names. */
  unverified?: boolean;
}

/**
 * A contender in one scenario: `prepare` is not timed, `run` is. `verify` (not timed) runs
 * after every successful run and returns what was not done, or undefined when the run did
 * the work the scenario names (issue 18: a run that did nothing is a failure, never a time).
 */
export interface Contender {
  name: string;
  prepare?: () => Promise<void>;
  run: () => Promise<Sample>;
  verify?: (sample: Sample) => Promise<string | undefined>;
}

/**
 * Runs every contender `warmup` times unrecorded, then `runs` times interleaved (A, B, A,
 * B…) so drift in a shared machine's load hits all tools alike. Failures and timeouts are
 * counted in the result; a thrown prepare counts as a failure of that run.
 */
export async function interleave(
  contenders: Contender[],
  runs: number,
  warmup: number,
  log: (line: string) => void,
): Promise<Record<string, ToolResult>> {
  const samples = new Map<string, Sample[]>(contenders.map((c) => [c.name, []]));
  for (let round = -warmup; round < runs; round++) {
    for (const c of contenders) {
      const sample = await once(c);
      log(
        `  ${round < 0 ? 'warm-up' : `run ${round + 1}/${runs}`} ${c.name}: ${sample.ok ? `${sample.ms.toFixed(0)} ms` : `FAILED ${sample.error ?? ''}`}`,
      );
      if (round >= 0) samples.get(c.name)?.push(sample);
    }
  }
  return Object.fromEntries(
    contenders.map((c) => [c.name, toToolResult(samples.get(c.name) ?? [])]),
  );
}

async function once(c: Contender): Promise<Sample> {
  try {
    await c.prepare?.();
    const sample = await c.run();
    if (!sample.ok || !c.verify) return sample;
    const missing = await c.verify(sample);
    return missing === undefined
      ? sample
      : { ...sample, ok: false, unverified: true, error: `did not do the work: ${missing}` };
  } catch (e) {
    return { ms: 0, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Summary of the successful samples, with failures and timeouts counted beside them. */
export function toToolResult(samples: Sample[]): ToolResult {
  const good = samples.filter((s) => s.ok);
  const failed = samples.filter((s) => !s.ok);
  const lastCalls = [...good].reverse().find((s) => s.calls)?.calls;
  const result: ToolResult = {
    ...summarise(good.map((s) => round(s.ms))),
    samples: samples.map((s) => (s.ok ? round(s.ms) : -1)),
    failures: failed.filter((s) => !s.timedOut && !s.unverified).length,
    timeouts: failed.filter((s) => s.timedOut).length,
  };
  const unverified = failed.filter((s) => s.unverified).length;
  if (unverified) result.unverified = unverified;
  if (failed[0]?.error) result.failure = failed[0].error.slice(0, 300);
  const cpu = good.flatMap((s) => (s.cpuMs === undefined ? [] : [round(s.cpuMs)]));
  if (cpu.length) result.cpu = summarise(cpu);
  if (lastCalls) {
    result.callsByRoute = lastCalls;
    result.calls = Object.values(lastCalls).reduce((a, b) => a + b, 0);
  }
  return result;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
