import { describe, expect, it } from 'vitest';
import { DependencyWaits } from './dependency-waits.js';

const APP = 'Container/app' as const;
const DB = 'Container/db' as const;
const PROXY = 'Container/proxy' as const;
const WEB = 'Container/web' as const;

describe('DependencyWaits', () => {
  it('parks dependants on what they wait for and hands them back once when it is ready', () => {
    const waits = new DependencyWaits();
    expect(waits.park(PROXY, APP, 100)).toBe(true);
    expect(waits.park(WEB, APP, 100)).toBe(true);
    expect(waits.waitingOn(PROXY)).toBe(APP);
    expect(waits.wake(DB, 200)).toEqual([]);
    expect(waits.wake(APP, 200)).toEqual([PROXY, WEB]);
    expect(waits.waitingOn(PROXY)).toBeUndefined();
    expect(waits.wake(APP, 300)).toEqual([]);
  });

  it('does not park a dependant whose dependency became ready while its batch ran', () => {
    const waits = new DependencyWaits();
    waits.wake(APP, 150);
    expect(waits.park(PROXY, APP, 100)).toBe(false);
    expect(waits.waitingOn(PROXY)).toBeUndefined();
    expect(waits.park(PROXY, APP, 200)).toBe(true);
  });

  it('settles a batch: what ran is unparked, waiters park, ready objects wake the others', () => {
    const waits = new DependencyWaits();
    waits.park(WEB, DB, 0);
    waits.park(PROXY, DB, 0);
    const again = waits.settleBatch([{ key: DB }, { key: PROXY, waitingFor: APP }], [DB], 100, 200);
    // PROXY ran and now waits for APP: only WEB is woken by DB.
    expect(again).toEqual([{ dependant: WEB, of: DB }]);
    expect(waits.waitingOn(PROXY)).toBe(APP);
    expect(waits.waitingOn(WEB)).toBeUndefined();
  });

  it('keeps a dependant parked when its dependency converged in the same batch', () => {
    // app started, yet proxy's `condition: healthy` was not met: app's health event wakes it.
    const waits = new DependencyWaits();
    const again = waits.settleBatch(
      [{ key: APP }, { key: PROXY, waitingFor: APP }],
      [APP],
      100,
      200,
    );
    expect(again).toEqual([]);
    expect(waits.waitingOn(PROXY)).toBe(APP);
    expect(waits.wake(APP, 300)).toEqual([PROXY]);
  });

  it('queues a dependant again at once when its dependency started during its batch', () => {
    const waits = new DependencyWaits();
    waits.wake(APP, 150);
    const again = waits.settleBatch([{ key: PROXY, waitingFor: APP }], [], 100, 200);
    expect(again).toEqual([{ dependant: PROXY, of: APP }]);
  });
});
