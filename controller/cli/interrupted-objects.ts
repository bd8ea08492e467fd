import type { ObjectKey } from '../../specs/model.js';
import type { ObjectOutcome } from '../executor/execute.js';
import type { OneOffSignal } from './oneoff-signals.js';
import { countsAsDone, signalLabel } from './interrupt.js';

/**
 * Where an interrupted apply left one object that had work to do:
 * - `done`: converged (or held as declared);
 * - `created-not-started`: a container created (or made again by a replace) and never started:
 *   it is on the engine but does not run (F641: it was listed with the untouched ones);
 * - `unfinished`: other steps ran, not all (a stop, a removal…);
 * - `failed`: it failed for a reason of its own before the signal;
 * - `abandoned`: a step was under way when a second signal made berth exit at once;
 * - `skipped`: never touched: its turn had not come.
 */
export type InterruptedState =
  'done' | 'created-not-started' | 'unfinished' | 'failed' | 'abandoned' | 'skipped';

/** One object of an interrupted apply: where it was left and the operations that ran on it. */
export interface InterruptedObject {
  key: ObjectKey;
  state: InterruptedState;
  ops: string[];
}

/** An object under way when berth abandoned it (a second signal): the operations it ran. */
export interface AbandonedObject {
  key: ObjectKey;
  ops: string[];
}

/**
 * Every object that had work to do (`pending`, plan order) or has an outcome, with where the
 * interrupt left it (apply's summary and its `-o json` document say the same). Pure.
 */
export function interruptedObjects(
  pending: readonly ObjectKey[],
  outcomes: readonly ObjectOutcome[],
  left: { abandoned?: readonly AbandonedObject[]; cutShort?: readonly AbandonedObject[] } = {},
): InterruptedObject[] {
  const outcomeOf = new Map(outcomes.map((o) => [o.key, o]));
  const abandonedOf = new Map((left.abandoned ?? []).map((a) => [a.key, a]));
  const cutShortOf = new Map((left.cutShort ?? []).map((a) => [a.key, a]));
  // An object in sync that the executor passed through (no operation, converged) is not listed.
  const touched = outcomes.filter((o) => o.ops.length > 0 || !countsAsDone(o));
  const keys = [...new Set([...pending, ...touched.map((o) => o.key), ...abandonedOf.keys()])];
  return keys.map((key): InterruptedObject => {
    const abandoned = abandonedOf.get(key);
    if (abandoned) return { key, state: 'abandoned', ops: abandoned.ops };
    const o = outcomeOf.get(key);
    if (!o) return { key, state: 'skipped', ops: [] };
    const cut = cutShortOf.get(key);
    // Under way at the signal and not done: begun and cut short, whatever error the cut gave
    // (a build cancelled fails with E_IMAGE_BUILD and no completed op).
    if (cut && !countsAsDone(o)) {
      const ops = o.ops.length >= cut.ops.length ? o.ops : cut.ops;
      return { key, state: createdOnly(key, ops) ? 'created-not-started' : 'unfinished', ops };
    }
    return { key, state: stateOf(o), ops: o.ops };
  });
}

function stateOf(o: ObjectOutcome): InterruptedState {
  if (countsAsDone(o)) return 'done';
  // Never touched: kept from starting by the signal, or waiting on a dependency it stopped.
  if (o.ops.length === 0)
    return o.outcome === 'skipped' || o.code === 'E_INTERRUPTED' ? 'skipped' : 'failed';
  // A failure of its own says more than how far it got.
  if (o.code !== 'E_INTERRUPTED') return 'failed';
  return createdOnly(o.key, o.ops) ? 'created-not-started' : 'unfinished';
}

/** A container whose last operation was its create: on the engine, never started. */
const createdOnly = (key: ObjectKey, ops: readonly string[]) =>
  key.startsWith('Container/') && ops.at(-1) === 'create';

/** The summary's line label of each state, in the order the lines come. */
const LINES: [InterruptedState, string][] = [
  ['done', 'done'],
  ['created-not-started', 'created, not started'],
  ['unfinished', 'begun, not finished'],
  ['failed', 'failed'],
  ['abandoned', 'abandoned under way'],
  ['skipped', 'skipped, its turn had not come'],
];

/**
 * What an interrupted apply did, for people: how many objects were done, then one line per
 * state that some object is in (`done` always), each object with the operations that ran.
 */
export function interruptedLines(
  objects: readonly InterruptedObject[],
  signal: OneOffSignal | undefined,
): string[] {
  const done = objects.filter((o) => o.state === 'done').length;
  const shown = (o: InterruptedObject) =>
    o.state === 'skipped' ? o.key : `${o.key} (${o.ops.join(', ') || 'no change'})`;
  const lines = LINES.flatMap(([state, label]) => {
    const these = objects.filter((o) => o.state === state);
    if (these.length === 0 && state !== 'done') return [];
    return [`  ${label}: ${these.length ? these.map(shown).join(', ') : 'none'}`];
  });
  return [
    `interrupted: ${done} of ${objects.length} objects done before ${signalLabel(signal)}`,
    ...lines,
  ];
}

/** An interrupted apply's summary: the objects' lines, what was undone, and what to do now. */
export function interruptedText(
  project: string,
  objects: readonly InterruptedObject[],
  seconds: string,
  /** Lines saying what was undone after the signal (interrupt-undo.ts), if anything. */
  undone: readonly string[],
  signal: OneOffSignal | undefined,
): string {
  return (
    [
      ...interruptedLines(objects, signal),
      ...undone,
      `Project ${project}: interrupted after ${seconds}s; recorded in history as interrupted; apply again to finish`,
    ].join('\n') + '\n'
  );
}
