/**
 * How long the run `apply` started must have been up before the start is believed (F341).
 * A process that exits at once is `running` or `restarting` by chance at the first look after
 * its start (measured on Docker 20.10: `running` with restart count 0 in about half the looks,
 * the crash visible to inspect at most ~260 ms after the engine's StartedAt at load 27), so
 * one input gave exit 0 or 2. Counted from the run's own start time, so the time the start
 * call and the first look took already counts; the rest is waited without a parallel slot
 * (Semaphore `leave`). Its own file: a no-op apply loads no machine.
 */
export const START_SETTLE_MS = 750;
