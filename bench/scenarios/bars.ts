import { busyMachine, type ScenarioLoad } from '../lib/machine-load.js';
import { ratio } from '../lib/stats.js';
import type { Bar, ToolResult } from '../lib/results.js';

/**
 * Bar "a ≤ factor × b" (or strictly below when `strict`), on medians. Undecided when either
 * side has no successful run — a missing peer is reported, not counted as a win.
 */
export function ratioBar(
  text: string,
  a: ToolResult | undefined,
  b: ToolResult | undefined,
  factor: number,
  strict = false,
): Bar {
  if (!a?.runs || !b?.runs)
    return { text, met: undefined, detail: 'not measured (a tool is missing or every run failed)' };
  const r = ratio(a.median, b.median);
  const met = strict ? a.median < factor * b.median : a.median <= factor * b.median;
  return { text, met, ratio: r, detail: `${a.median} vs ${b.median} (ratio ${r})` };
}

/** Bar "value ≤ limit" on a single number. */
export function limitBar(
  text: string,
  value: number | undefined,
  limit: number,
  unit: string,
): Bar {
  if (value === undefined) return { text, met: undefined, detail: 'not measured' };
  return { text, met: value <= limit, detail: `${value} ${unit} (limit ${limit} ${unit})` };
}

/**
 * A start-up bar, still judged on wall time, with what a wall time cannot say (F280): the
 * CPU time of the contenders it names and, when the machine was busy, that the wall time
 * includes waiting for a core — so a miss on a busy host reads as such, not as a slow berth.
 */
export function withMachineLoad(
  bar: Bar,
  load: ScenarioLoad | undefined,
  contenders: (ToolResult | undefined)[],
): Bar {
  const parts = [bar.detail];
  const cpu = contenders.map((t) => t?.cpu);
  if (cpu.every((c) => c?.runs))
    parts.push(`CPU time (user+sys) median ${cpu.map((c) => c?.median).join(' vs ')} ms`);
  if (load && busyMachine(load))
    parts.push(
      `run on a busy machine (1-min load average ${load.start} → ${load.end} on ${load.cores} cores): the wall time includes waiting for a core`,
    );
  return { ...bar, detail: parts.join('; ') };
}
