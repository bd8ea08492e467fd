import { describe, expect, it } from 'vitest';
import { busyMachine, childrenCpuMs, loadNow } from './machine-load.js';
import { timedRun } from './proc.js';

describe('timedRun CPU time (F280)', () => {
  it("gives the child's CPU time, apart from its wall time", async () => {
    // Burns 400 ms of its own CPU time, however long the machine makes that take.
    const burn = await timedRun(process.execPath, [
      '-e',
      'const end = process.cpuUsage().user + 400_000; while (process.cpuUsage().user < end);',
    ]);
    expect(burn.code).toBe(0);
    expect(burn.cpuMs).toBeGreaterThanOrEqual(390);
    // Waits 600 ms and burns next to nothing.
    const idle = await timedRun('sh', ['-c', 'sleep 0.6']);
    expect(idle.ms).toBeGreaterThanOrEqual(600);
    expect(idle.cpuMs).toBeLessThan(200);
  });

  it('counts only children that have ended', () => {
    const before = childrenCpuMs();
    expect(before).toBeGreaterThanOrEqual(0);
    expect(childrenCpuMs()).toBe(before);
  });
});

describe('busyMachine', () => {
  it('is a load average at or above the core count, at the start or the end', () => {
    expect(busyMachine({ start: 1.5, end: 1.9, cores: 2 })).toBe(false);
    expect(busyMachine({ start: 2, end: 0.5, cores: 2 })).toBe(true);
    expect(busyMachine({ start: 0.5, end: 14, cores: 2 })).toBe(true);
  });

  it('reads the load average against the cores node may use', () => {
    const now = loadNow();
    expect(now.cores).toBeGreaterThan(0);
    expect(now.load1).toBeGreaterThanOrEqual(0);
  });
});
