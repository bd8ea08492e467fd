import { describe, expect, it } from 'vitest';
import type { ContainerDetails, ObservedContainer } from '../engine/engine.js';
import { containerReadiness, needsDetails } from './readiness.js';

const NOW = 1_700_000_000_000;
const container: ObservedContainer = {
  id: 'c1',
  name: 'p-web',
  labels: {},
  state: 'running',
  imageId: 'sha256:1',
  imageRef: 'img',
  createdAt: NOW - 60_000,
  health: 'none',
  networks: [],
  ports: [],
};
const details = (over: Partial<ContainerDetails>): ContainerDetails => ({
  ...container,
  restartCount: 0,
  exitCode: 0,
  startedAt: NOW - 60_000,
  oomKilled: false,
  healthLog: [],
  pid: 1,
  ...over,
});

describe('containerReadiness', () => {
  it('a running container without healthcheck is ready with 0 restarts and no exit code', () => {
    expect(containerReadiness({ container, details: details({}), now: NOW })).toEqual({
      restarts: 0,
      lastExitCode: null,
      oomKilled: false,
      health: 'none',
      ready: true,
    });
  });

  it('says OOMKilled of a stopped or restarting run the engine says the OOM killer ended (F464)', () => {
    const killed = { state: 'exited' as const, exitCode: 137, oomKilled: true };
    const exited = containerReadiness({
      container: { ...container, state: 'exited' },
      details: details(killed),
      now: NOW,
    });
    expect(exited).toMatchObject({ lastExitCode: 137, oomKilled: true, ready: false });
    const looping = containerReadiness({
      container: { ...container, state: 'restarting' },
      details: details({ ...killed, state: 'restarting', restartCount: 3 }),
      now: NOW,
    });
    expect(looping).toMatchObject({ reason: 'CrashLoopBackOff', oomKilled: true });
    expect(looping.message).toContain('last exit code 137 (OOMKilled)');
    // `docker kill` also gives 137: not OOMKilled.
    const byHand = containerReadiness({
      container: { ...container, state: 'exited' },
      details: details({ state: 'exited', exitCode: 137 }),
      now: NOW,
    });
    expect(byHand.oomKilled).toBe(false);
  });

  it('inspects an exited container only when its exit code (137) may be the OOM killer', () => {
    const exited = (exitCode: number) => ({ ...container, state: 'exited' as const, exitCode });
    expect(needsDetails(exited(137), NOW)).toBe(true);
    expect(needsDetails(exited(1), NOW)).toBe(false);
    expect(needsDetails(exited(0), NOW)).toBe(false);
  });

  it('adds berth’s restarts to the engine’s and calls a fresh restart a crash loop', () => {
    const r = containerReadiness({
      container,
      details: details({ restartCount: 4, exitCode: 3, startedAt: NOW - 2_000 }),
      berthRestarts: 2,
      now: NOW,
    });
    // Running again: the engine has reset the exit code, so it is not known any more.
    expect(r).toMatchObject({ restarts: 6, lastExitCode: null, ready: false });
    expect(r.reason).toBe('CrashLoopBackOff');
    expect(r.message).toBe('crash loop: 6 restarts');
    const between = containerReadiness({
      container: { ...container, state: 'restarting' },
      details: details({ state: 'restarting', restartCount: 4, exitCode: 3 }),
      now: NOW,
    });
    expect(between).toMatchObject({ lastExitCode: 3, reason: 'CrashLoopBackOff' });
  });

  it('keeps the exit code the list saw when the inspect after it finds the next run (F805)', () => {
    // Between the list and the inspect the engine started it again and reset its exit code.
    const r = containerReadiness({
      container: { ...container, state: 'restarting', exitCode: 3 },
      details: details({ restartCount: 4, exitCode: 0, startedAt: NOW - 100 }),
      now: NOW,
    });
    expect(r).toMatchObject({ lastExitCode: 3, reason: 'CrashLoopBackOff' });
    expect(r.message).toBe('crash loop: 4 restarts, last exit code 3');
  });

  it('is not ready while the list (the row’s ACTUAL) says exited, whatever the inspect after it says (F852)', () => {
    // `docker restart` between the list and the inspect: the row showed "exited … yes".
    const r = containerReadiness({
      container: { ...container, state: 'exited', exitCode: 137 },
      details: details({ state: 'running', startedAt: NOW - 50 }),
      now: NOW,
    });
    expect(r.ready).toBe(false);
  });

  it('is ready again once it has run longer than the crash-loop window', () => {
    const r = containerReadiness({
      container,
      details: details({ restartCount: 4, exitCode: 3, startedAt: NOW - 60_000 }),
      now: NOW,
    });
    expect(r).toMatchObject({ restarts: 4, lastExitCode: null, ready: true });
  });

  it('an unhealthy container carries the probe’s last output', () => {
    const r = containerReadiness({
      container: { ...container, health: 'unhealthy' },
      details: details({
        health: 'unhealthy',
        healthLog: [{ start: 'x', exitCode: 1, output: 'db down\n' }],
      }),
      now: NOW,
    });
    expect(r).toMatchObject({ ready: false, reason: 'Unhealthy' });
    expect(r.message).toBe('healthcheck reports unhealthy: exit code 1: db down');
  });

  it('a back-off being waited out is BackOff', () => {
    const r = containerReadiness({
      container: { ...container, state: 'exited', exitCode: 1 },
      berthRestarts: 3,
      backoffMs: 19_500,
      now: NOW,
    });
    expect(r).toMatchObject({ ready: false, reason: 'BackOff', restarts: 3, lastExitCode: 1 });
    expect(r.message).toBe('back-off: next restart in 20s (3 restarts, last exit code 1)');
  });

  it('F620: a back-off after a failed probe, and a crash loop, carry the probe’s last output', () => {
    const healthLog = [{ start: 'x', exitCode: 1, output: 'cache unreachable\n' }];
    const r = containerReadiness({
      container: { ...container, health: 'unhealthy' },
      details: details({ health: 'unhealthy', healthLog }),
      berthRestarts: 1,
      backoffMs: 9_000,
      now: NOW,
    });
    expect(r.reason).toBe('BackOff');
    expect(r.message).toBe(
      'back-off: next restart in 9s (1 restart); last probe: exit code 1: cache unreachable',
    );
    const looping = containerReadiness({
      container: { ...container, state: 'restarting' },
      details: details({ state: 'restarting', restartCount: 2, exitCode: 3, healthLog }),
      now: NOW,
    });
    expect(looping.message).toBe(
      'crash loop: 2 restarts, last exit code 3; last probe: exit code 1: cache unreachable',
    );
  });

  it('a container running healthy again after a restart is ready, whatever the next back-off', () => {
    const r = containerReadiness({
      container: { ...container, state: 'running', health: 'none' },
      berthRestarts: 1,
      backoffMs: 9_000,
      now: NOW,
    });
    expect(r).toMatchObject({ ready: true, restarts: 1 });
    expect(r.reason).toBeUndefined();
    const sick = containerReadiness({
      container: { ...container, state: 'running', health: 'unhealthy' },
      backoffMs: 9_000,
      now: NOW,
    });
    expect(sick.reason).toBe('BackOff');
  });
});

describe('needsDetails: which containers status inspects', () => {
  const listed = (over: Partial<ObservedContainer>): ObservedContainer => ({
    ...container,
    startedAt: NOW - 59_000,
    ...over,
  });

  it('settles from the list a container berth started, or up past the crash-loop window', () => {
    // The list says "Up 1 second" for berth's start that returned 1.9 s ago.
    expect(needsDetails(listed({ startedAt: NOW - 1_000 }), NOW, NOW - 1_900)).toBe(false);
    // Read a moment after the engine wrote it: within the list's precision and latency.
    expect(needsDetails(listed({ startedAt: NOW - 1_000 }), NOW, NOW - 2_400)).toBe(false);
    expect(needsDetails(listed({ startedAt: NOW - 20_000 }), NOW)).toBe(false);
    expect(needsDetails(listed({ health: 'healthy' }), NOW)).toBe(false);
    expect(needsDetails(listed({ state: 'exited', startedAt: undefined }), NOW)).toBe(false);
    expect(needsDetails(listed({ state: 'created', startedAt: undefined }), NOW)).toBe(false);
  });

  it('inspects a restarting, an unhealthy and a running container whose start berth did not make', () => {
    expect(needsDetails(listed({ state: 'restarting', startedAt: undefined }), NOW)).toBe(true);
    expect(needsDetails(listed({ health: 'unhealthy' }), NOW)).toBe(true);
    // No start on record: the engine started it (restart policy, docker start by hand).
    expect(needsDetails(listed({ startedAt: NOW - 2_000 }), NOW)).toBe(true);
    // Created and started a moment ago, by the engine's restart policy after berth's start
    // (the old rule took any start within 3 s of the creation as berth's own).
    const loop = listed({ createdAt: NOW - 4_000, startedAt: NOW - 2_000 });
    expect(needsDetails(loop, NOW, NOW - 3_900)).toBe(true);
    expect(needsDetails(loop, NOW, NOW - 2_100)).toBe(false);
    // No start time in the list answer: the list cannot settle it.
    expect(needsDetails(listed({ startedAt: undefined }), NOW, NOW - 1_000)).toBe(true);
  });
});
