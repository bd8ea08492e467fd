import { describe, expect, it } from 'vitest';
import { LIST_CALLS, onlyListCalls, onlyTouched, withVerdictOfChecks } from './checks.js';
import type { ScenarioResult, ToolResult } from './results.js';

const replaced = [
  { method: 'POST', path: '/containers/aaaaaaaaaaaa1111/stop?t=10' },
  { method: 'POST', path: '/containers/aaaaaaaaaaaa1111/rename?name=bench-e-c001-prev' },
  { method: 'POST', path: '/containers/create?name=bench-e-c001' },
  { method: 'POST', path: '/containers/bbbbbbbbbbbb2222/start' },
  { method: 'DELETE', path: '/containers/aaaaaaaaaaaa1111?force=1' },
];
const counts = {
  'POST /containers/create': 1,
  'POST /containers/{id}/start': 1,
  'DELETE /containers/{id}': 1,
};

describe('onlyTouched', () => {
  it('accepts a replacement of exactly the named container', () => {
    const ids = ['aaaaaaaaaaaa1111ffff', 'bbbbbbbbbbbb2222ffff'];
    expect(onlyTouched(replaced, 'bench-e-c001', ids, counts)).toBeUndefined();
  });
  it('names a call about another container', () => {
    const stray = [...replaced, { method: 'POST', path: '/containers/cccccccccccc/stop' }];
    expect(onlyTouched(stray, 'bench-e-c001', ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'], counts)).toMatch(
      /other objects: POST \/containers\/cccccccccccc\/stop/,
    );
  });
  it('names a missing call (a run that did nothing)', () => {
    expect(onlyTouched([], 'bench-e-c001', [], counts)).toMatch(/create ×0, expected ×1/);
  });
});

const tool = (unverified?: number): ToolResult => ({
  runs: 2,
  median: 10,
  min: 9,
  max: 11,
  samples: [10, 10],
  failures: 0,
  timeouts: 0,
  ...(unverified ? { unverified } : {}),
});
const scenario = (tools: Record<string, ToolResult>): ScenarioResult => ({
  id: 's',
  title: 's',
  measure: 'm',
  unit: 'ms',
  tools,
  bars: [{ text: 'berth ≤ compose', met: true, detail: '10 vs 20' }],
  notes: [],
});

describe('withVerdictOfChecks', () => {
  it('misses every bar when a berth run did not do the work', () => {
    const out = withVerdictOfChecks(scenario({ berth: tool(1), compose: tool() }));
    expect(out.bars[0]).toMatchObject({
      met: false,
      detail: expect.stringMatching(/berth: 1 run/),
    });
  });
  it('leaves a bar undecided when only the peer did not do the work', () => {
    const out = withVerdictOfChecks(scenario({ berth: tool(), compose: tool(2) }));
    expect(out.bars[0]?.met).toBeUndefined();
  });
  it('changes nothing when every run did the work', () => {
    const s = scenario({ berth: tool(), compose: tool() });
    expect(withVerdictOfChecks(s)).toBe(s);
  });
});

describe('onlyListCalls', () => {
  const lists = Object.fromEntries(LIST_CALLS.map((route) => [route, 1]));
  it('accepts exactly the four list calls', () => {
    expect(onlyListCalls({ ms: 1, ok: true, calls: lists })).toBeUndefined();
  });
  it('names an inspect per container', () => {
    const calls = { ...lists, 'GET /containers/{id}/json': 30 };
    expect(onlyListCalls({ ms: 1, ok: true, calls })).toMatch(/GET \/containers\/\{id\}\/json ×30/);
  });
  it('refuses a run that was not counted or listed twice', () => {
    expect(onlyListCalls({ ms: 1, ok: true })).toMatch(/no engine calls/);
    expect(
      onlyListCalls({ ms: 1, ok: true, calls: { ...lists, 'GET /containers/json': 2 } }),
    ).toMatch(/containers\/json ×2/);
  });
});
