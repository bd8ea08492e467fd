import type { ObjectOutcome } from '../executor/execute.js';
import { signalLabel } from './interrupt.js';
import type { OneOffSignal } from './oneoff-signals.js';
import { redactArgs } from './redact-args.js';

/** What an interrupted `delete` or `down` did, and how to finish it. */
export interface DeleteInterrupted {
  project: string;
  /** The executor's outcomes: `converged` ones were removed. */
  outcomes: readonly ObjectOutcome[];
  /** Every object the delete set out to remove, in plan order. */
  planned: readonly string[];
  seconds: string;
  signal: OneOffSignal | undefined;
  /** The command that finishes the work (`berth down -p web`). */
  again: string;
}

/**
 * For people (FINDINGS F250): the objects removed before the signal, those left, and the
 * command that removes the rest. The objects left stay in the project's last applied set.
 */
export function deleteInterruptedText(d: DeleteInterrupted): string {
  const removed = new Set<string>(
    d.outcomes.filter((o) => o.outcome === 'converged').map((o) => o.key),
  );
  const left = d.planned.filter((k) => !removed.has(k));
  const list = (keys: readonly string[]) => (keys.length ? keys.join(', ') : 'none');
  return (
    [
      `interrupted: ${removed.size} of ${d.planned.length} objects deleted before ${signalLabel(d.signal)}`,
      `  deleted: ${list([...removed])}`,
      `  not deleted: ${list(left)}`,
      `Project ${d.project}: interrupted after ${d.seconds}s; ${d.again} deletes what is left`,
    ].join('\n') + '\n'
  );
}

/** The command line berth was run with (`verb` when unknown), to run again; no secrets. */
export function againCommand(argv: readonly string[] | undefined, verb: string): string {
  const args = argv?.length ? redactArgs(argv) : [verb];
  return [
    'berth',
    ...args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)),
  ].join(' ');
}
