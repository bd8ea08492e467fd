import type { DesiredObject, ObjectKey } from '../../specs/model.js';

/**
 * How an apply ended (DESIGN.md exit codes: converged 0, invalid 1, failed 2, interrupted
 * by Ctrl-C 130).
 */
export type ApplyOutcome = 'converged' | 'failed' | 'invalid' | 'interrupted';

/** What one apply did, by kind of change. */
export interface ApplyCounts {
  created: number;
  changed: number;
  deleted: number;
  unchanged: number;
  failed: number;
}

/** One action berth took during an apply (shown by `describe` as berth's own events). */
export interface AppliedStep {
  key: ObjectKey;
  action: string;
  cause: string;
  /** Unix ms when the step finished. */
  time?: number;
  failed?: boolean;
  /** The error code of a failed step (E_ENGINE, E_CONFLICT, E_CONVERGE…). */
  code?: string;
}

/** One line of a project's history. Times are Unix ms. */
export interface HistoryEntry {
  /** Short id `berth rollback` takes (absent in records written before it existed). */
  id?: string;
  time: number;
  /** Files or folders as given to `apply -f`, absolute. */
  sources: string[];
  /** `git rev-parse HEAD` of the first source's work tree, or the git source's commit. */
  commit?: string;
  /** The commit's author (`Name <email>`) and subject line, for a git source. */
  author?: string;
  subject?: string;
  outcome: ApplyOutcome;
  counts: ApplyCounts;
  durationMs: number;
  /** One line, e.g. the error that stopped the apply. */
  message?: string;
  steps?: AppliedStep[];
  /**
   * The resolved desired set this apply converged to: kept for the newest
   * {@link ROLLBACK_DEPTH} entries that have one so `berth rollback` can re-apply any of them.
   */
  objects?: DesiredObject[];
  /**
   * The images that set ran on, by exact id (kept with `objects`): `rollback` points each ref
   * back at its id, and the images berth built stay while an entry in the rollback depth names
   * them (DESIGN.md "Updates and rollback"). Absent in records written before it existed.
   */
  images?: HistoryImage[];
  /** The apply was to delete owned objects no longer declared (`apply --prune`; watch). */
  prune?: boolean;
  /** A `berth down`: the project's set was deleted (the entry keeps no set of its own). */
  down?: boolean;
  /**
   * Applies after this one that repeated it with nothing to do (a re-run of `apply` on the
   * same set, a `watch` start): counted here instead of taking a rollback slot each (F275).
   */
  repeats?: { count: number; lastTime: number };
}

/** One image an apply's set used, as the engine had it when the apply ended. */
export interface HistoryImage {
  /** The reference as declared (`local/web:1`, `busybox:1.36`). */
  ref: string;
  /** The engine's image id (`sha256:…`). */
  id: string;
  /** The first `repo@sha256:…` the engine knows for it (pulled images), else null. */
  digest: string | null;
  /** True when berth built it (an Image object with `build`). */
  built: boolean;
}

/** Applies whose desired set history keeps for `berth rollback` (DESIGN.md: the last 10). */
export const ROLLBACK_DEPTH = 10;

/** The set the project was last applied with: what `get`/`status` compare against without -f. */
export interface LastApplied {
  project: string;
  /** Unix ms. */
  time: number;
  sources: string[];
  objects: DesiredObject[];
}

/** What `recordApply` is given; the commit is looked up when not supplied. */
export interface ApplyRecordInput extends Omit<HistoryEntry, 'commit' | 'repeats'> {
  commit?: string | null;
  /**
   * A plain apply of its source (not a rollback, a restart): when it changed nothing and
   * repeats the newest entry, it is counted on that entry rather than recorded (F275).
   */
  repeatable?: boolean;
  /**
   * The normalised set that was applied. Stored as the last applied set unless the outcome is
   * 'invalid' (an input that failed validation never replaces the last good set).
   */
  objects?: DesiredObject[];
}

/** A record that is missing, unreadable or corrupt, reported as a value (never thrown). */
export interface RecordProblem {
  code: 'E_RECORD';
  reason: 'missing' | 'unreadable' | 'corrupt';
  path: string;
  message: string;
}

export type RecordRead<T> =
  { ok: true; value: T; path: string } | { ok: false; problem: RecordProblem };
