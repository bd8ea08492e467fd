import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import { countEffects, type RanTally } from '../executor/ran-summary.js';
import type { ApplyRecordInput, HistoryEntry, HistoryImage } from '../records/record-types.js';

/** Source and commit fields of a history entry, as recorded. */
export type RecordedOrigin = Pick<HistoryEntry, 'sources' | 'commit' | 'author' | 'subject'>;

/** One change the controller converged to: a new source revision, or a rollback. */
export interface SettledChange {
  /** Keys whose declaration changed. */
  changed: ObjectKey[];
  /** The whole desired set after the change. */
  objects: DesiredObject[];
  /** Unix ms when the change was taken in. */
  time: number;
  from: RecordedOrigin;
  /** `applied by berth watch`, `rollback to <id>`. */
  message: string;
  /** A new revision of the source (not a rollback): history may count it as a repeat (F275). */
  repeatable?: boolean;
  /** Owned objects no longer declared were to be deleted (false while a file is broken). */
  prune?: boolean;
}

/**
 * The history entry of a change `berth watch` worked off: `tallies` what the runs while it
 * settled did to each object and the steps they took (ran-summary.ts, the rules `apply`
 * counts and records by too: F622, a failed object's reason is kept as apply keeps it), `now`
 * when the queue went idle, `images` the exact images the set runs on. Pure.
 */
export function changeRecord(
  change: SettledChange,
  tallies: ReadonlyMap<ObjectKey, RanTally>,
  now: number,
  images: HistoryImage[],
): ApplyRecordInput {
  const { objects, time, repeatable, prune } = change;
  const effects = [...tallies.values()].map((t) => t.effect);
  const deleted = effects.filter((e) => e === 'deleted').length;
  const counts = countEffects(effects, objects.length + deleted);
  const steps = [...tallies.values()].flatMap((t) => t.steps);
  return {
    time,
    ...change.from,
    outcome: counts.failed ? 'failed' : 'converged',
    counts,
    durationMs: now - time,
    message: change.message,
    objects,
    images,
    ...(steps.length ? { steps } : {}),
    ...(repeatable ? { repeatable } : {}),
    ...(prune !== undefined ? { prune } : {}),
  };
}

/** History's origin fields of a revision: its sources, and its commit when it has one. */
export function revisionOrigin(from: {
  sources: string[];
  commit?: { sha: string; author: string; subject: string };
}): RecordedOrigin {
  const { sources, commit } = from;
  return commit
    ? { sources, commit: commit.sha, author: commit.author, subject: commit.subject }
    : { sources };
}

/** History's origin fields of an earlier apply (what a rollback to it records). */
export function entryOrigin(entry: HistoryEntry): RecordedOrigin {
  const { sources, commit, author, subject } = entry;
  return {
    sources,
    ...(commit ? { commit } : {}),
    ...(author ? { author } : {}),
    ...(subject ? { subject } : {}),
  };
}
