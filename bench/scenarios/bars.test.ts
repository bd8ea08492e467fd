import { describe, expect, it } from 'vitest';
import type { ToolResult } from '../lib/results.js';
import { limitBar, ratioBar, withMachineLoad } from './bars.js';

const tool = (median: number, cpu?: number): ToolResult => ({
  runs: 5,
  median,
  min: median,
  max: median,
  samples: [median],
  failures: 0,
  timeouts: 0,
  ...(cpu === undefined ? {} : { cpu: { runs: 5, median: cpu, min: cpu, max: cpu } }),
});

describe('withMachineLoad (F280)', () => {
  it('keeps the wall-time verdict and adds the CPU times and a busy machine', () => {
    const bar = withMachineLoad(
      limitBar('validate ≤ 300 ms', 1585, 300, 'ms'),
      { start: 15.2, end: 16.9, cores: 2 },
      [tool(1585, 410)],
    );
    expect(bar.met).toBe(false);
    expect(bar.detail).toBe(
      '1585 ms (limit 300 ms); CPU time (user+sys) median 410 ms; run on a busy machine (1-min load average 15.2 → 16.9 on 2 cores): the wall time includes waiting for a core',
    );
  });

  it('says nothing of the load on a quiet machine, and names both sides of a ratio', () => {
    const bar = withMachineLoad(
      ratioBar('--version ≤ 2× node -e 0', tool(170), tool(140), 2),
      { start: 0.4, end: 1.1, cores: 2 },
      [tool(170, 160), tool(140, 120)],
    );
    expect(bar.met).toBe(true);
    expect(bar.detail).toBe('170 vs 140 (ratio 1.21); CPU time (user+sys) median 160 vs 120 ms');
  });

  it('leaves out a CPU time a contender did not measure', () => {
    const bar = withMachineLoad(limitBar('x', 10, 300, 'ms'), undefined, [tool(10), tool(5, 4)]);
    expect(bar.detail).toBe('10 ms (limit 300 ms)');
  });
});
