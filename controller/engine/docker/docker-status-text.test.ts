import { describe, expect, it } from 'vitest';
import { durationFromText, timesFromStatus } from './docker-status-text.js';

const NOW = 1_700_000_000_000;

describe('the list status text', () => {
  it('reads the engine durations, to the second under a minute', () => {
    expect(durationFromText('Less than a second')).toBe(0);
    expect(durationFromText('1 second')).toBe(1_000);
    expect(durationFromText('42 seconds')).toBe(42_000);
    expect(durationFromText('About a minute')).toBe(60_000);
    expect(durationFromText('5 minutes')).toBe(300_000);
    expect(durationFromText('About an hour')).toBe(3_600_000);
    expect(durationFromText('3 hours')).toBe(10_800_000);
    expect(durationFromText('2 weeks')).toBe(14 * 86_400_000);
    expect(durationFromText('soon')).toBeUndefined();
  });

  it('gives a start time while up and a stop time once stopped', () => {
    expect(timesFromStatus('Up 3 seconds', NOW)).toEqual({ startedAt: NOW - 3_000 });
    expect(timesFromStatus('Up 5 seconds (healthy)', NOW)).toEqual({ startedAt: NOW - 5_000 });
    expect(timesFromStatus('Up 1 second (health: starting)', NOW)).toEqual({
      startedAt: NOW - 1_000,
    });
    expect(timesFromStatus('Up 2 minutes (unhealthy)', NOW)).toEqual({
      startedAt: NOW - 120_000,
    });
    expect(timesFromStatus('Up Less than a second (Paused)', NOW)).toEqual({ startedAt: NOW });
    expect(timesFromStatus('Exited (137) 3 seconds ago', NOW)).toEqual({
      finishedAt: NOW - 3_000,
    });
    expect(timesFromStatus('Restarting (3) Less than a second ago', NOW)).toEqual({
      finishedAt: NOW,
    });
  });

  it('gives no time for text without one', () => {
    for (const text of ['Created', 'Dead', 'Removal In Progress', '', undefined, 'Up forever'])
      expect(timesFromStatus(text, NOW)).toEqual({});
  });
});
