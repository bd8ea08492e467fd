import { backoffDelay, FAILURE_BACKOFF, type BackoffPolicy } from './backoff.js';

/** Injected time, so the queue's back-off can be tested without waiting. */
export interface QueueClock {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realClock: QueueClock = {
  now: () => Date.now(),
  setTimer: (run, ms) => setTimeout(run, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * One queued key and why it was queued: the latest reason wins, except that a newer desired
 * spec's reason (a superseding add) is kept until the key runs, so logs name the edit, not an
 * engine event that arrived after it.
 */
export interface WorkItem<K, R = string> {
  key: K;
  reason: R;
}

/**
 * What became of a key after the handler ran: `afterMs`: look again then, for `reason`;
 * `blocked`: it waits for another key (whoever sees that one ready adds it again), which is
 * no failure of its own: its failure count and back-off stay as they were.
 */
export type WorkVerdict<R = string> =
  'done' | 'failed' | 'blocked' | { afterMs: number; reason?: R };

export interface WorkQueueOptions<K, R = string> {
  /**
   * Reconciles a batch of keys (never two batches holding the same key at once). Must not
   * reject; a key missing from the answer counts as failed.
   */
  handle(items: WorkItem<K, R>[]): Promise<Map<K, WorkVerdict<R>>>;
  /** Batches handled at once. */
  concurrency: number;
  /** Most keys in one batch. */
  batchSize: number;
  backoff?: BackoffPolicy;
  clock?: QueueClock;
}

export interface AddOptions {
  /**
   * A newer desired spec for the key: it runs now, whatever back-off the old spec earned,
   * and its failure count starts again.
   */
  supersede?: boolean;
}

/**
 * One queue for every source of work, keyed by object (controller-runtime's workqueue):
 * a key is queued at most once, never handled by two batches at once (added while in
 * flight, it runs again afterwards), and a failed key comes back after an exponential
 * back-off. Adding a key that waits in back-off leaves it waiting, unless `supersede`.
 */
export class WorkQueue<K, R = string> {
  private readonly ready = new Map<K, R>();
  /** Ready keys whose reason came from a superseding add (a newer desired spec). */
  private readonly readyForNewSpec = new Set<K>();
  /** Keys waiting; `failure`: a failure back-off, which new work does not cut short. */
  private readonly delayed = new Map<
    K,
    { at: number; reason: R; timer: unknown; failure: boolean }
  >();
  private readonly inFlight = new Set<K>();
  /** Keys added while in flight: they run again once their batch ends. */
  private readonly dirty = new Map<K, { reason: R; supersede: boolean }>();
  private readonly failures = new Map<K, number>();
  private running = 0;
  private pumpScheduled = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private readonly clock: QueueClock;
  private readonly backoff: BackoffPolicy;

  constructor(private readonly options: WorkQueueOptions<K, R>) {
    this.clock = options.clock ?? realClock;
    this.backoff = options.backoff ?? FAILURE_BACKOFF;
  }

  add(key: K, reason: R, options: AddOptions = {}): void {
    if (this.stopped) return;
    if (options.supersede) this.failures.delete(key);
    if (this.inFlight.has(key)) {
      const previous = this.dirty.get(key);
      const keep = previous?.supersede && !options.supersede;
      this.dirty.set(key, {
        reason: keep ? previous.reason : reason,
        supersede: Boolean(options.supersede || previous?.supersede),
      });
      return;
    }
    const waiting = this.delayed.get(key);
    // A failing key waits out its back-off, for the latest reason (a container removed by
    // hand while it waits is logged as removed, not as the exit that queued it first); a
    // key waiting only to be looked at again (a recheck, a restart back-off the planner
    // computes anyway) runs now: level-triggered.
    if (waiting?.failure && !options.supersede) {
      waiting.reason = reason;
      return;
    }
    if (waiting) this.cancelDelay(key);
    if (this.readyForNewSpec.has(key) && !options.supersede) return;
    this.ready.set(key, reason);
    if (options.supersede) this.readyForNewSpec.add(key);
    this.schedulePump();
  }

  /**
   * Queues `key` after `ms` (kept at the earlier time when already waiting). `failure`: a
   * failure back-off, which `add` does not cut short (only a superseding add does).
   */
  addAfter(key: K, reason: R, ms: number, failure = false): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key, reason);
    const at = this.clock.now() + ms;
    const waiting = this.delayed.get(key);
    if (waiting && waiting.at <= at) return;
    if (waiting) this.cancelDelay(key);
    if (this.ready.has(key) || this.inFlight.has(key)) return;
    const timer = this.clock.setTimer(() => {
      const due = this.delayed.get(key);
      this.delayed.delete(key);
      this.add(key, due?.reason ?? reason);
    }, ms);
    this.delayed.set(key, { at, reason, timer, failure });
  }

  /** Keys queued or waiting, not counting those in flight. */
  depth(): number {
    return this.ready.size + this.delayed.size;
  }

  /** Failures in a row of `key` (0 after a success). */
  failureCount(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** Unix ms at which a waiting key runs again, if it waits. */
  waitingUntil(key: K): number | undefined {
    return this.delayed.get(key)?.at;
  }

  /** Resolves when nothing is ready or in flight (keys may still wait in back-off). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops taking work: nothing new starts, waiting keys are dropped. Resolves when the
   * batches in flight have ended or `graceMs` has passed, whichever is first.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.stopped = true;
    for (const key of [...this.delayed.keys()]) this.cancelDelay(key);
    this.ready.clear();
    this.readyForNewSpec.clear();
    this.dirty.clear();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => (timer = setTimeout(r, graceMs)));
    await Promise.race([this.whenIdle(), grace]);
    clearTimeout(timer);
  }

  /** Keys added in the same tick go out in one batch (a folder change adds many at once). */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.stopped && this.running < this.options.concurrency && this.ready.size > 0) {
      const batch: WorkItem<K, R>[] = [];
      for (const [key, reason] of this.ready) {
        if (batch.length >= this.options.batchSize) break;
        batch.push({ key, reason });
      }
      for (const item of batch) {
        this.ready.delete(item.key);
        this.readyForNewSpec.delete(item.key);
        this.inFlight.add(item.key);
      }
      this.running += 1;
      void this.runBatch(batch);
    }
    this.notifyIfIdle();
  }

  private async runBatch(batch: WorkItem<K, R>[]): Promise<void> {
    let verdicts: Map<K, WorkVerdict<R>>;
    try {
      verdicts = await this.options.handle(batch);
    } catch {
      verdicts = new Map();
    }
    this.running -= 1;
    for (const { key, reason } of batch) {
      this.inFlight.delete(key);
      this.settle(key, reason, verdicts.get(key) ?? 'failed');
    }
    this.pump();
  }

  private settle(key: K, reason: R, verdict: WorkVerdict<R>): void {
    const again = this.dirty.get(key);
    this.dirty.delete(key);
    if (verdict === 'done') this.failures.delete(key);
    if (verdict === 'failed') {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      if (!again?.supersede) return this.addAfter(key, reason, backoffDelay(this.backoff, n), true);
    }
    if (typeof verdict === 'object' && !again?.supersede)
      this.addAfter(key, verdict.reason ?? reason, verdict.afterMs);
    // Added while in flight: level-triggered, so it runs again (after any back-off above).
    if (again) this.add(key, again.reason, { supersede: again.supersede });
  }

  private cancelDelay(key: K): void {
    const waiting = this.delayed.get(key);
    if (waiting) this.clock.clearTimer(waiting.timer);
    this.delayed.delete(key);
  }

  private isIdle(): boolean {
    return this.ready.size === 0 && this.inFlight.size === 0 && this.running === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
