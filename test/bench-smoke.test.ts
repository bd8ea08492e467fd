import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench } from '../bench/lib/bench.js';
import type { BenchResults } from '../bench/lib/results.js';

// The bench never runs in `npm test`, but its smoke form does, so the harness cannot rot
// (issue 7): N=3, one run, berth against the raw API only.
const outDir = mkdtempSync(join(tmpdir(), 'berth-bench-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('bench --smoke', () => {
  it('measures every smoke scenario and writes the results', async () => {
    await runBench({
      mode: 'smoke',
      root: resolve(import.meta.dirname, '..'),
      outDir,
      rebuild: false,
      log: () => undefined,
    });
    const results = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as BenchResults;
    expect(results.scenarios.map((s) => s.id)).toEqual([
      'cold-apply-3',
      'noop-apply-3',
      'status-3',
      'change-env-3',
      'delete-all-3',
      'cli-start',
      'import-compose',
    ]);
    for (const s of results.scenarios) {
      expect(Object.keys(s.tools).length, s.id).toBeGreaterThan(0);
      for (const [tool, t] of Object.entries(s.tools)) {
        expect({
          scenario: s.id,
          tool,
          failures: t.failures,
          timeouts: t.timeouts,
          unverified: t.unverified,
          failure: t.failure,
        }).toEqual({
          scenario: s.id,
          tool,
          failures: 0,
          timeouts: 0,
          unverified: undefined,
          failure: undefined,
        });
        expect(t.median, `${s.id} ${tool}`).toBeGreaterThan(0);
      }
    }
    const noop = results.scenarios.find((s) => s.id === 'noop-apply-3');
    expect(noop?.tools.berth?.calls).toBeGreaterThan(0);
    expect(readFileSync(join(outDir, 'RESULTS.md'), 'utf8')).toContain('### cold apply, N=3');
  }, 120_000);
});
