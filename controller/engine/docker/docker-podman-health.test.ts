import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine.js';
import { healthcheckDue, withPodmanVerdict } from './docker-podman-health.js';

const running = (log: { End?: string }[] | null, interval = 1e9) => ({
  Config: { Healthcheck: { Test: ['CMD', 'true'], Interval: interval } },
  State: {
    Status: 'running',
    StartedAt: '2026-01-01T00:00:00Z',
    Health: { Status: 'starting', Log: log },
  },
});
const t0 = Date.parse('2026-01-01T00:00:00Z');

describe('healthcheckDue (Podman runs no healthcheck by itself)', () => {
  it('is due one interval after the start or the last check', () => {
    expect(healthcheckDue(running(null), t0 + 500)).toBe(false);
    expect(healthcheckDue(running(null), t0 + 1000)).toBe(true);
    const log = [{ End: '2026-01-01T00:00:05Z' }];
    expect(healthcheckDue(running(log), t0 + 5500)).toBe(false);
    expect(healthcheckDue(running(log), t0 + 6000)).toBe(true);
    expect(healthcheckDue(running(null, 0), t0 + 29_000)).toBe(false);
  });

  it('is never due without a healthcheck or a running container', () => {
    const none = running(null);
    none.Config.Healthcheck.Test = ['NONE'];
    expect(healthcheckDue(none, t0 + 60_000)).toBe(false);
    const stopped = running(null);
    stopped.State.Status = 'exited';
    expect(healthcheckDue(stopped, t0 + 60_000)).toBe(false);
  });
});

describe("withPodmanVerdict (Podman's health_status event carries no verdict to trust)", () => {
  const event = (action: string): EngineEvent => ({
    type: 'container',
    action,
    change: 'health',
    id: 'c1',
    labels: {},
    time: t0,
  });

  it("gives a bare health_status the container's current verdict, in Docker's form", async () => {
    const inspect = (id: string) =>
      Promise.resolve({ ...running(null), State: { Health: { Status: `healthy-${id}` } } });
    const e = await withPodmanVerdict(event('health_status'), inspect);
    expect(e?.action).toBe('health_status: healthy-c1');
    expect(e?.change).toBe('health');
  });

  it('reads a starting verdict once more: the event may come before the check is written', async () => {
    const verdicts = ['starting', 'healthy'];
    const inspect = () =>
      Promise.resolve({ ...running(null), State: { Health: { Status: verdicts.shift() } } });
    const e = await withPodmanVerdict(event('health_status'), inspect, 1);
    expect(e?.action).toBe('health_status: healthy');
    const failing = () =>
      Promise.resolve({ ...running(null), State: { Health: { Status: 'starting' } } });
    expect((await withPodmanVerdict(event('health_status'), failing, 1))?.action).toBe(
      'health_status: starting',
    );
  });

  it('drops it when the container is gone, and passes other events unchanged', async () => {
    const gone = () => Promise.reject(new Error('no such container'));
    expect(await withPodmanVerdict(event('health_status'), gone)).toBeUndefined();
    const start = event('start');
    expect(await withPodmanVerdict(start, gone)).toBe(start);
  });
});
