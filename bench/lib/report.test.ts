import { describe, expect, it } from 'vitest';
import { renderResults } from './report.js';
import type { BenchResults, ToolResult } from './results.js';

const tool = (median: number, cpu?: number): ToolResult => ({
  runs: 3,
  median,
  min: median - 10,
  max: median + 10,
  samples: [],
  failures: 0,
  timeouts: 0,
  ...(cpu === undefined ? {} : { cpu: { runs: 3, median: cpu, min: cpu - 5, max: cpu + 5 } }),
});

const results = (load?: { start: number; end: number; cores: number }): BenchResults => ({
  machine: {
    cores: 2,
    cpuModel: 'x',
    memoryMb: 1,
    engineVersion: '20.10',
    apiVersion: '1.41',
    node: 'v20',
    date: 'today',
    mode: 'quick',
  },
  scenarios: [
    {
      id: 'cli-start',
      title: 'CLI start',
      measure: 'wall time',
      unit: 'ms',
      tools: { 'node -e 0': tool(140, 120), 'one list call': tool(3) },
      bars: [],
      notes: [],
      ...(load ? { load } : {}),
    },
  ],
});

describe('RESULTS.md of a start-up scenario (F280)', () => {
  it('shows the CPU time of each process and the load the runs shared the machine with', () => {
    const text = renderResults(results({ start: 11.5, end: 12, cores: 2 }), '');
    expect(text).toContain(
      '- CPU time (user+sys of the process), median (min–max) ms: node -e 0 120 (115–125)\n',
    );
    expect(text).toContain(
      '- Load average (1 min): 11.5 at the start, 12 at the end, on 2 cores — a busy machine: wall times include waiting for a core; compare CPU times\n',
    );
  });

  it('does not call a quiet machine busy, and renders results written before the load was kept', () => {
    expect(renderResults(results({ start: 0.5, end: 1, cores: 2 }), '')).toContain(
      '- Load average (1 min): 0.5 at the start, 1 at the end, on 2 cores\n',
    );
    expect(renderResults(results(), '')).not.toContain('Load average');
  });
});
