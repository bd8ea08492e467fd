import type { WatchEvent } from '../watch/event-bus.js';
import type { ViewStep } from './view-types.js';

/** How long a finished batch stays on the page, so people see its steps ticked. */
const KEEP_FINISHED_MS = 30_000;

/** A pending step as the status reports it (planner's next actions). */
export interface PendingStep {
  key: string;
  action: string;
  cause: string;
}

/**
 * The live plan: the steps of the batch the controller runs now (ticked from its progress
 * events), then the steps the planner has pending for every other object. Fed with bus
 * events (`plan`, `progress`) and with the pending steps of each fresh status.
 */
export class PlanTracker {
  private batch: ViewStep[] = [];
  private batchSeq = 0;
  private finishedAt: number | undefined;
  private pending: PendingStep[] = [];
  /** When `pending` was last set: a list older than the batch's end is stale for its keys. */
  private pendingAt = -Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes a bus event; true when the plan changed. */
  onEvent(event: WatchEvent): boolean {
    if (event.type === 'plan') {
      this.batchSeq += 1;
      this.finishedAt = undefined;
      this.pendingAt = -Infinity;
      this.batch = event.steps.map((s, i) => ({
        id: `${this.batchSeq}:${s.key}:${i}`,
        key: s.key,
        text: s.action,
        cause: s.cause,
        state: 'pending',
      }));
      return true;
    }
    if (event.type === 'progress') return this.onProgress(event);
    return false;
  }

  /** The planner's pending steps from a fresh status; true when the plan changed. */
  setPending(steps: PendingStep[]): boolean {
    const same = JSON.stringify(steps) === JSON.stringify(this.pending);
    this.pending = steps;
    this.pendingAt = this.now();
    return !same;
  }

  /** Batch steps first (in run order), then pending steps of objects not in the batch. */
  steps(): ViewStep[] {
    if (this.finishedAt !== undefined && this.now() - this.finishedAt > KEEP_FINISHED_MS)
      this.batch = [];
    const stale = this.finishedAt === undefined || this.pendingAt <= this.finishedAt;
    const inBatch = new Set(stale ? this.batch.map((s) => s.key) : []);
    const counts = new Map<string, number>();
    const waiting = this.pending
      .filter((s) => !inBatch.has(s.key))
      .map((s): ViewStep => {
        const n = counts.get(s.key) ?? 0;
        counts.set(s.key, n + 1);
        return {
          id: `pending:${s.key}:${n}`,
          key: s.key,
          text: s.action,
          cause: s.cause,
          state: 'pending',
        };
      });
    return [...this.batch.map((s) => ({ ...s })), ...waiting];
  }

  private onProgress(event: Extract<WatchEvent, { type: 'progress' }>): boolean {
    const { key, phase, op, deadline, message } = event;
    const own = this.batch.filter((s) => s.key === key);
    if (own.length === 0) return false;
    if (phase === 'op' && op === 'gate') this.startGate(key, own, deadline);
    else if (phase === 'op' && op) {
      for (const s of own) if (s.state === 'running') s.state = 'done';
      const next = own.find(
        (s) => s.state === 'pending' && (s.text === op || op.startsWith(`${s.text} `)),
      );
      if (next) next.state = 'running';
    } else if (phase === 'converged' || phase === 'held') {
      for (const s of own) s.state = 'done';
    } else if (phase === 'failed') {
      // Only the step under way failed; the object's later steps never ran (F152: a failed
      // gate showed `stop`, `remove`, `rename` of the untouched old container as FAILED).
      const at = own.find((s) => s.state === 'running') ?? own.find((s) => s.state === 'pending');
      for (const s of own)
        if (s.state === 'running' || s.state === 'pending')
          s.state = s === at ? 'failed' : 'skipped';
      if (at && message) at.message = message;
    } else if (phase === 'skipped') {
      for (const s of own) if (s.state !== 'done') s.state = 'skipped';
    } else return false;
    if (
      this.batch.every((s) => s.state === 'done' || s.state === 'failed' || s.state === 'skipped')
    )
      this.finishedAt = this.now();
    return true;
  }

  /**
   * An update's health gate (issue 14/16: the countdown): a running step of its own, after the
   * steps of the object done so far, with the deadline the page counts down to; the object's
   * next operation (or its end) ticks it off like any step.
   */
  private startGate(key: string, own: ViewStep[], deadline: number | undefined): void {
    for (const s of own) if (s.state === 'running') s.state = 'done';
    const lastDone = own.filter((s) => s.state === 'done').at(-1);
    const at = lastDone ? this.batch.indexOf(lastDone) + 1 : this.batch.indexOf(own[0]!);
    const gate: ViewStep = {
      id: `${this.batchSeq}:${key}:gate`,
      key,
      text: 'health gate',
      cause: 'the new container must pass before the old one goes',
      state: 'running',
      ...(deadline !== undefined ? { deadline } : {}),
    };
    this.batch.splice(at, 0, gate);
  }
}
