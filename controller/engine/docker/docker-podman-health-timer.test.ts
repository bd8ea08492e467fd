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
  it('reads a container that declares no healthcheck once, not at every start (a crash loop, F220)', async () => {
    const inspected: string[] = [];
    const api: HealthTimerCalls = {
      list: () => Promise.resolve([{ Id: 'loop', State: 'running', Status: '' }]),
      inspect: (id) => {
        inspected.push(id);
        return Promise.resolve({ Config: { Healthcheck: null }, State: { Status: 'running' } });
      },
      run: () => Promise.reject(new Error('no check to run')),
    };
    const timer = startHealthTimer(api, 1000);
    for (let exit = 0; exit < 5; exit++) {
      timer.started('loop');
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(inspected).toEqual(['loop']);
    timer.stop();
  });

  it('runs each due check once per interval, and reads a container only when its check may be due', async () => {
    const { api, calls } = fakePodman([{ Id: 'a', State: 'running', Status: 'starting' }]);
    const { stop } = startHealthTimer(api, 1000);
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
    const { stop } = startHealthTimer(api, 1000);
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
    const { stop } = startHealthTimer(flaky, 1000);
    // Lists fail at t0 and t0 + 1 s; the tick at t0 + 2 s finds the check due.
    await vi.advanceTimersByTimeAsync(3500);
    stop();
    expect(calls.run).toEqual(['a']);
  });

  it('a slow check holds up no other container: a container started meanwhile is checked one interval after its start', async () => {
    // `old` is due at once and its check takes 1.5 s (conmon under load); `new` starts at
    // t0 + 0.5 s with a 1 s interval, so its first check is due at t0 + 1.5 s.
    const started = new Map([['old', t0 - 5000]]);
    const runs: { id: string; at: number }[] = [];
    const api: HealthTimerCalls = {
      list: () =>
        Promise.resolve(
          [...started.keys()].map((Id) => ({ Id, State: 'running', Status: 'starting' })),
        ),
      inspect: (id) =>
        Promise.resolve({
          Config: { Healthcheck: { Test: ['CMD', 'true'], Interval: 1e9 } },
          State: {
            Status: 'running',
            StartedAt: new Date(started.get(id) ?? t0).toISOString(),
            Health: {
              Status: 'starting',
              Log: runs
                .filter((r) => r.id === id)
                .map((r) => ({ End: new Date(r.at).toISOString() })),
            },
          },
        }),
      run: async (id) => {
        await new Promise((r) => setTimeout(r, id === 'old' ? 1500 : 100));
        runs.push({ id, at: Date.now() });
      },
    };
    const timer = startHealthTimer(api, 1000);
    await vi.advanceTimersByTimeAsync(500);
    started.set('new', Date.now());
    timer.started('new');
    await vi.advanceTimersByTimeAsync(1200);
    timer.stop();
    // Ends at t0 + 1.5 s + its 0.1 s run; before, the next list waited for old's check and
    // new's first check ended at t0 + 2.6 s.
    expect(runs.find((r) => r.id === 'new')?.at).toBe(t0 + 1600);
  });
});
