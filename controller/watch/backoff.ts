/**
 * Exponential back-off, as a pure function of a failure count, plus the crash-loop tracker
 * (DESIGN.md "Lifecycle": Kubernetes' CrashLoopBackOff — 10 s doubling to 5 min, reset
 * after 10 min of health). Time is always passed in, never read here.
 */

export interface BackoffPolicy {
  /** Delay after the first failure. */
  baseMs: number;
  /** The delay never grows past this. */
  maxMs: number;
}

/** CrashLoopBackOff as DESIGN.md states it. */
export const CRASH_LOOP_BACKOFF: BackoffPolicy & { resetAfterMs: number } = {
  baseMs: 10_000,
  maxMs: 5 * 60_000,
  resetAfterMs: 10 * 60_000,
};

/**
 * Retrying a failed reconcile: short at first, because most failures are an engine hiccup,
 * but capped at the crash-loop maximum so a persistent failure costs little.
 */
export const FAILURE_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 5 * 60_000 };

/** Delay before attempt `failures + 1`: base · 2^(failures−1), capped; 0 when nothing failed. */
export function backoffDelay(policy: BackoffPolicy, failures: number): number {
  if (failures <= 0) return 0;
  // 2^40 ms is far past any sane max; bounding the exponent keeps the number finite.
  const exponent = Math.min(failures - 1, 40);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

interface RestartHistory {
  /** Restarts berth made since the object was last healthy for `resetAfterMs`. */
  count: number;
  /** Total restarts berth made (for status and metrics); never reset. */
  total: number;
  lastAt: number;
}

/**
 * Counts the restarts berth makes per object and says when the next one may happen. The
 * first restart is immediate (drift repair must be fast); each further restart within the
 * reset window waits 10 s, 20 s, 40 s… up to 5 min, counted from the restart before it.
 *
 * The back-off only delays a restart that is due: a container running (and healthy) after a
 * restart is ready and in sync (status/readiness.ts). The window resets once the container
 * has gone `resetAfterMs` (10 min) without a restart by berth, i.e. stayed up that long, as
 * Kubernetes resets CrashLoopBackOff after 10 min of a container running without problems.
 */
export class CrashLoopTracker {
  private readonly history = new Map<string, RestartHistory>();

  constructor(private readonly policy = CRASH_LOOP_BACKOFF) {}

  /** Milliseconds to wait before restarting `key` at `now`; 0 means go ahead. */
  waitBeforeRestart(key: string, now: number): number {
    const h = this.current(key, now);
    if (!h || h.count === 0) return 0;
    return Math.max(0, h.lastAt + backoffDelay(this.policy, h.count) - now);
  }

  /** Records a restart berth made at `now`. */
  recordRestart(key: string, now: number): void {
    const h = this.current(key, now);
    const total = (this.history.get(key)?.total ?? 0) + 1;
    this.history.set(key, { count: (h?.count ?? 0) + 1, total, lastAt: now });
  }

  /** The object is gone or no longer declared: forget it. */
  forget(key: string): void {
    this.history.delete(key);
  }

  /** Restarts counted towards the back-off, the total, and the current wait (for status). */
  describe(key: string, now: number): { restarts: number; total: number; backoffMs: number } {
    const h = this.current(key, now);
    return {
      restarts: h?.count ?? 0,
      total: this.history.get(key)?.total ?? 0,
      backoffMs: this.waitBeforeRestart(key, now),
    };
  }

  private current(key: string, now: number): RestartHistory | undefined {
    const h = this.history.get(key);
    if (!h) return undefined;
    // Healthy (not restarted) for the whole reset window: the loop is over.
    if (now - h.lastAt >= this.policy.resetAfterMs) {
      const reset = { count: 0, total: h.total, lastAt: h.lastAt };
      this.history.set(key, reset);
      return reset;
    }
    return h;
  }
}
