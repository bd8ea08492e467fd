import { describe, expect, it } from 'vitest';
import { backoffDelay, CrashLoopTracker } from './backoff.js';
import { WorkQueue, type QueueClock, type WorkItem, type WorkVerdict } from './work-queue.js';

/** A clock whose timers fire only when the test advances it. */
class FakeClock implements QueueClock {
  time = 1_000_000;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimer(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, run, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.run();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function harness(
  verdictOf: (key: string) => WorkVerdict = () => 'done',
  concurrency = 1,
  batchSize = 10,
) {
  const clock = new FakeClock();
  const batches: WorkItem<string>[][] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const queue = new WorkQueue<string>({
    concurrency,
    batchSize,
    clock,
    backoff: { baseMs: 100, maxMs: 1000 },
    handle: async (items) => {
      batches.push(items);
      if (gate) await gate;
      return new Map(items.map((i) => [i.key, verdictOf(i.key)]));
    },
  });
  const hold = () => {
    gate = new Promise((r) => (release = r));
  };
  const open = () => {
    gate = undefined;
    release?.();
  };
  return { queue, clock, batches, hold, open };
}

describe('WorkQueue', () => {
  it('de-duplicates keys added before they run, keeping the latest reason', async () => {
    const h = harness();
    h.hold();
    h.queue.add('a', 'first');
    await tick();
    h.queue.add('b', 'x');
    h.queue.add('b', 'y');
    h.queue.add('c', 'z');
    h.queue.add('c', 'z2');
    expect(h.batches).toEqual([[{ key: 'a', reason: 'first' }]]);
    h.open();
    await h.queue.whenIdle();
    expect(h.batches[1]).toEqual([
      { key: 'b', reason: 'y' },
      { key: 'c', reason: 'z2' },
    ]);
    expect(h.batches).toHaveLength(2);
  });

  it('keeps the reason of a newer spec over engine events that come after it, queued or in flight', async () => {
    const h = harness();
    h.hold();
    h.queue.add('a', 'first');
    await tick();
    // In flight: the edit, then an event about a dependency.
    h.queue.add('a', 'manifests changed', { supersede: true });
    h.queue.add('a', 'network changed');
    // Queued: the same order.
    h.queue.add('b', 'manifests changed', { supersede: true });
    h.queue.add('b', 'network changed');
    h.open();
    await h.queue.whenIdle();
    const reasons = h.batches.flat().map((i) => `${i.key}:${i.reason}`);
    expect(reasons).toContain('a:manifests changed');
    expect(reasons).toContain('b:manifests changed');
    expect(reasons.filter((r) => r.endsWith('network changed'))).toEqual([]);
  });

  it('never runs a key in two batches at once, and runs it again when added meanwhile', async () => {
    const h = harness(() => 'done', 2);
    h.hold();
    h.queue.add('a', 'one');
    await tick();
    h.queue.add('a', 'two');
    expect(h.batches).toHaveLength(1);
    h.open();
    await h.queue.whenIdle();
    expect(h.batches.map((b) => b.map((i) => i.reason))).toEqual([['one'], ['two']]);
  });

  it('bounds concurrency and batch size', async () => {
    const h = harness(() => 'done', 2, 2);
    h.hold();
    for (const k of ['a', 'b', 'c', 'd', 'e']) h.queue.add(k, 'c');
    await tick();
    expect(h.batches.map((b) => b.map((i) => i.key))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(h.queue.depth()).toBe(1);
    h.open();
    await h.queue.whenIdle();
    expect(h.batches.map((b) => b.map((i) => i.key))).toContainEqual(['e']);
  });

  it('backs a failing key off exponentially and forgets the failures after a success', async () => {
    let fail = true;
    const h = harness(() => (fail ? 'failed' : 'done'));
    h.queue.add('a', 'c');
    await h.queue.whenIdle();
    expect(h.queue.failureCount('a')).toBe(1);
    expect(h.queue.waitingUntil('a')).toBe(h.clock.time + 100);
    h.queue.add('a', 'event during back-off');
    await tick();
    expect(h.batches).toHaveLength(1);
    h.clock.advance(99);
    await tick();
    expect(h.batches).toHaveLength(1);
    h.clock.advance(1);
    await h.queue.whenIdle();
    expect(h.batches).toHaveLength(2);
    expect(h.queue.waitingUntil('a')).toBe(h.clock.time + 200);
    h.clock.advance(200);
    await h.queue.whenIdle();
    expect(h.queue.waitingUntil('a')).toBe(h.clock.time + 400);
    fail = false;
    h.clock.advance(400);
    await h.queue.whenIdle();
    expect(h.queue.failureCount('a')).toBe(0);
    expect(h.queue.waitingUntil('a')).toBeUndefined();
    expect(h.batches).toHaveLength(4);
  });

  it('lets a newer spec supersede a key waiting in back-off', async () => {
    const h = harness(() => 'failed');
    h.queue.add('a', 'old spec');
    await h.queue.whenIdle();
    h.clock.advance(100);
    await h.queue.whenIdle();
    expect(h.queue.failureCount('a')).toBe(2);
    h.queue.add('a', 'new spec', { supersede: true });
    await tick();
    expect(h.batches.at(-1)).toEqual([{ key: 'a', reason: 'new spec' }]);
    expect(h.queue.failureCount('a')).toBe(1);
  });

  it('supersedes a failing batch in flight: the new spec runs at once', async () => {
    const h = harness(() => 'failed');
    h.hold();
    h.queue.add('a', 'old');
    await tick();
    h.queue.add('a', 'new', { supersede: true });
    h.open();
    await h.queue.whenIdle();
    expect(h.batches.map((b) => b[0]?.reason)).toEqual(['old', 'new']);
  });

  it('queues a key after the delay a verdict asks for', async () => {
    const h = harness((k) => (k === 'a' && h.batches.length === 1 ? { afterMs: 500 } : 'done'));
    h.queue.add('a', 'crash loop');
    await h.queue.whenIdle();
    h.clock.advance(499);
    await tick();
    expect(h.batches).toHaveLength(1);
    h.clock.advance(1);
    await h.queue.whenIdle();
    expect(h.batches).toHaveLength(2);
  });

  it('new work cuts a requested delay short, but not a failure back-off', async () => {
    const h = harness((k) => (k === 'a' ? { afterMs: 10_000 } : 'failed'));
    h.queue.add('a', 'back-off');
    h.queue.add('b', 'failing');
    await h.queue.whenIdle();
    expect(h.batches).toHaveLength(1);
    h.queue.add('a', 'engine event: pause');
    h.queue.add('b', 'engine event: pause');
    await h.queue.whenIdle();
    expect(h.batches.at(-1)).toEqual([{ key: 'a', reason: 'engine event: pause' }]);
    expect(h.queue.waitingUntil('b')).toBeDefined();
  });

  it('a blocked key neither counts a failure nor forgets one, and is not queued again', async () => {
    let verdict: WorkVerdict = 'failed';
    const h = harness(() => verdict);
    h.queue.add('a', 'c');
    await h.queue.whenIdle();
    expect(h.queue.failureCount('a')).toBe(1);
    verdict = 'blocked';
    h.clock.advance(100);
    await h.queue.whenIdle();
    h.queue.add('a', 'again');
    await h.queue.whenIdle();
    // Two blocked runs: the count stays where its own failure left it, and nothing waits.
    expect(h.batches).toHaveLength(3);
    expect(h.queue.failureCount('a')).toBe(1);
    expect(h.queue.waitingUntil('a')).toBeUndefined();
    h.clock.advance(10_000);
    await h.queue.whenIdle();
    expect(h.batches).toHaveLength(3);
  });

  it('a key in failure back-off runs for the latest reason it was added for', async () => {
    const h = harness((k) => (h.batches.length === 1 && k === 'a' ? 'failed' : 'done'));
    h.hold();
    h.queue.add('a', 'engine event: die');
    await tick();
    // Removed by hand while its batch runs, then another event during the back-off.
    h.queue.add('a', 'engine event: kill');
    h.open();
    await tick();
    await tick();
    expect(h.queue.waitingUntil('a')).toBeDefined();
    h.queue.add('a', 'engine event: destroy');
    h.clock.advance(100);
    await h.queue.whenIdle();
    expect(h.batches.at(-1)).toEqual([{ key: 'a', reason: 'engine event: destroy' }]);
  });

  it('stops taking work on shutdown and waits for the batch in flight', async () => {
    const h = harness();
    h.hold();
    h.queue.add('a', 'c');
    await tick();
    h.queue.add('b', 'c');
    let finished = false;
    const done = h.queue.shutdown(5_000).then(() => (finished = true));
    h.queue.add('c', 'late');
    await tick();
    expect(finished).toBe(false);
    h.open();
    await done;
    expect(h.batches.flat().map((i) => i.key)).toEqual(['a']);
  });
});

describe('back-off', () => {
  it('doubles from the base and stops at the cap', () => {
    const policy = { baseMs: 10_000, maxMs: 300_000 };
    expect([0, 1, 2, 3, 5, 6, 100].map((n) => backoffDelay(policy, n))).toEqual([
      0, 10_000, 20_000, 40_000, 160_000, 300_000, 300_000,
    ]);
  });

  it('lets the first restart happen at once, delays the next, and resets after 10 min', () => {
    const t = new CrashLoopTracker();
    const t0 = 5_000_000;
    expect(t.waitBeforeRestart('Container/a', t0)).toBe(0);
    t.recordRestart('Container/a', t0);
    expect(t.waitBeforeRestart('Container/a', t0 + 1_000)).toBe(9_000);
    t.recordRestart('Container/a', t0 + 10_000);
    expect(t.waitBeforeRestart('Container/a', t0 + 10_000)).toBe(20_000);
    expect(t.waitBeforeRestart('Container/b', t0)).toBe(0);
    const later = t0 + 10_000 + 10 * 60_000;
    expect(t.waitBeforeRestart('Container/a', later)).toBe(0);
    expect(t.describe('Container/a', later)).toEqual({ restarts: 0, total: 2, backoffMs: 0 });
  });
});
