import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHealthTimer, type HealthTimerCalls } from './docker-podman-health-timer.js';
import type { HealthInspect } from './docker-podman-health.js';
import type { PodmanListed } from './docker-reads.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');

/** A fake Podman: containers with a 2 s healthcheck whose runs are recorded. */
function fakePodman(listed: PodmanListed[]) {
  const lastEnd = new Map<string, number>();
  const calls = { list: 0, inspect: [] as string[], run: [] as string[] };
  const api: HealthTimerCalls = {
    list: () => (calls.list++, Promise.resolve(listed)),
    inspect: (id) => {
      calls.inspect.push(id);
      const end = lastEnd.get(id);
      const state: HealthInspect['State'] = {
        Status: listed.find((c) => c.Id === id)?.State ?? 'running',
        StartedAt: new Date(t0).toISOString(),
        Health: { Status: 'starting', Log: end ? [{ End: new Date(end).toISOString() }] : [] },
      };
      const healthcheck = { Test: ['CMD', 'true'], Interval: 2e9 };
      return Promise.resolve({ Config: { Healthcheck: healthcheck }, State: state });
    },
    run: (id) => {
      calls.run.push(id);
      lastEnd.set(id, Date.now());
      return Promise.resolve({});
    },
  };
  return { api, calls };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(t0);
});
afterEach(() => vi.useRealTimers());

describe('startHealthTimer (Podman without systemd runs no healthcheck)', () => {
  it('runs each due check once per interval, and reads a container only when its check may be due', async () => {
    const { api, calls } = fakePodman([{ Id: 'a', State: 'running', Status: 'starting' }]);
    const stop = startHealthTimer(api, 1000);
    // Started at t0 with a 2 s interval: the first check is due at t0 + 2 s.
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.run).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.run).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(6000);
    // t0 + 2, 4, 6, 8 s: one run per interval.
    expect(calls.run).toEqual(['a', 'a', 'a', 'a']);
    // Between checks the timer only lists: two inspects per run (before and after it) and
    // the first one, not one per tick.
    expect(calls.inspect.length).toBeLessThanOrEqual(2 * calls.run.length + 2);
    expect(calls.list).toBe(9);
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls.list).toBe(9);
    expect(calls.run).toHaveLength(4);
  });

  it('leaves alone containers that are not running or have no healthcheck', async () => {
    const { api, calls } = fakePodman([
      { Id: 'paused', State: 'paused', Status: 'healthy' },
      { Id: 'plain', State: 'running', Status: '' },
    ]);
    const stop = startHealthTimer(api, 1000);
    await vi.advanceTimersByTimeAsync(10_000);
    stop();
    expect(calls.list).toBeGreaterThan(5);
    expect(calls.inspect).toEqual([]);
    expect(calls.run).toEqual([]);
  });

  it('a failed list or run is no verdict: the next tick goes on', async () => {
    const { api, calls } = fakePodman([{ Id: 'a', State: 'running', Status: 'healthy' }]);
    let failures = 2;
    const flaky: HealthTimerCalls = {
      ...api,
      list: () => (failures-- > 0 ? Promise.reject(new Error('socket hang up')) : api.list()),
    };
    const stop = startHealthTimer(flaky, 1000);
    // Lists fail at t0 and t0 + 1 s; the tick at t0 + 2 s finds the check due.
    await vi.advanceTimersByTimeAsync(3500);
    stop();
    expect(calls.run).toEqual(['a']);
  });
});
