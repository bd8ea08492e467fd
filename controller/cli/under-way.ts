import type { ObjectKey } from '../../specs/model.js';
import type { ObjectOutcome, ProgressEvent } from '../executor/execute.js';
import { signalLabel } from './interrupt.js';
import type { OneOffSignal } from './oneoff-signals.js';

const ENDED = new Set<ProgressEvent['phase']>(['converged', 'held', 'failed', 'skipped']);

/**
 * What an apply is doing, from its progress events: the objects under way (with the step
 * each is at) and how the others ended. Read at Ctrl-C to say what berth waits for, and at a
 * second Ctrl-C to record what was done although the executor never returned (F194).
 */
export class UnderWay {
  private readonly running = new Map<ObjectKey, string | undefined>();
  private readonly ops = new Map<ObjectKey, string[]>();
  private readonly ended: ObjectOutcome[] = [];
  private atSignal: { key: ObjectKey; ops: string[] }[] = [];

  /** Feeds one progress event (pass it on to the reporter as well). */
  note(e: ProgressEvent): void {
    if (e.phase === 'running') this.running.set(e.key, undefined);
    else if (e.phase === 'op' && e.op !== undefined) {
      this.running.set(e.key, e.op);
      this.ops.set(e.key, [...(this.ops.get(e.key) ?? []), e.op]);
    } else if (ENDED.has(e.phase)) {
      this.running.delete(e.key);
      const outcome = e.phase as ObjectOutcome['outcome'];
      this.ended.push({ key: e.key, outcome, ops: this.ops.get(e.key) ?? [] });
    }
  }

  /** The objects started and not ended, each with the step it is at (if it said one). */
  get current(): { key: ObjectKey; op: string | undefined }[] {
    return [...this.running].map(([key, op]) => ({ key, op }));
  }

  /** Notes which objects were under way when the first signal came, with what they began. */
  markSignalled(): void {
    this.atSignal = this.current.map(({ key }) => ({ key, ops: this.opsOf(key) }));
  }

  /** The objects under way when the first signal came (markSignalled), with the ops begun. */
  get cutShort(): { key: ObjectKey; ops: string[] }[] {
    return [...this.atSignal];
  }

  /** The operations an object began so far, in order. */
  opsOf(key: ObjectKey): string[] {
    return [...(this.ops.get(key) ?? [])];
  }

  /** How the objects that ended so far ended, in the order they did. */
  get outcomes(): ObjectOutcome[] {
    return [...this.ended];
  }
}

/**
 * The line said at once at the first signal (F194: a 10-minute build looked hung): what berth
 * waits for, and that the same signal again abandons it. A build is cancelled, not awaited.
 */
export function waitingText(
  current: readonly { key: ObjectKey; op: string | undefined }[],
  signal: OneOffSignal | undefined,
): string {
  const again =
    signal === undefined || signal === 'SIGINT'
      ? 'press Ctrl-C again to abort'
      : `send ${signal} again to abort`;
  const items = current.map(({ key, op }) =>
    op?.startsWith('build')
      ? `the build of ${key} to stop`
      : `${key}${op ? ` (${op})` : ''} to finish`,
  );
  const what = items.length ? `waiting for ${items.join(', ')}` : 'finishing';
  return `interrupt (${signalLabel(signal)}): ${what}… ${again}\n`;
}
