/**
 * What the web view shows and what `GET /api/v1/stream` sends (issue 16). Shared by the
 * server (controller/web, controller/api/stream-*) and the page (controller/web/page): plain
 * JSON, no Node or DOM types. Times are Unix ms.
 */

/**
 * State of one step of the live plan. `skipped`: never run, because an earlier step of its
 * object failed (and what it did was undone) or a dependency did not converge.
 */
export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/**
 * One step of the live plan. Generic on purpose: a reconcile step, an update's health gate
 * (with `deadline`) or anything later is the same shape.
 */
export interface ViewStep {
  /** Stable while the step lives (`<batch>:<key>:<index>`, or `pending:<key>:<index>`). */
  id: string;
  /** Object key, `Kind/name`. */
  key: string;
  /** What the step does, as a person reads it: `start`, `health gate`… */
  text: string;
  /** Why it is needed: `stopped outside berth`, `env changed`… */
  cause: string;
  state: StepState;
  /** Why a `failed` step failed (the executor's message: `not healthy within 23s`…). */
  message?: string;
  /** Unix ms by which the step must be done (a health gate's countdown); absent when none. */
  deadline?: number;
}

/** One field that differs between what runs and what is declared. */
export interface FieldChange {
  /** Dotted path: `spec.env.VALUE`, `state`. */
  path: string;
  /** The value that runs (last applied, or the observed state); undefined when absent. */
  before?: unknown;
  /** The declared value; undefined when removed. */
  after?: unknown;
}

/** One object as one row, with what its detail panel shows. */
export interface ViewRow {
  /** `Kind/name`, or `Kind/name@context` for an object on another engine (as status keys it). */
  key: string;
  kind: string;
  name: string;
  /**
   * The Docker context of the engine holding it (`spec.placement.context`); null: the engine
   * the watch runs against (ViewProject.engine).
   */
  context: string | null;
  desired: string;
  actual: string;
  /** `Synced`, `OutOfSync`, `Conflict` or `Undeclared`: a word, never only a colour. */
  sync: string;
  /** `yes`, `no`, or `-` where readiness does not apply. */
  ready: string;
  restarts: number | null;
  reason: string | null;
  health: string | null;
  image: string | null;
  /** The declared spec (null for undeclared leftovers). */
  spec: unknown;
  /** Field-level difference when out of sync; empty when in sync. */
  diff: FieldChange[];
}

/** Something that happened to one object (engine event or a reconcile by berth). */
export interface ViewEvent {
  time: number;
  /** `engine` for engine events, `berth` for what the controller did. */
  source: 'engine' | 'berth';
  text: string;
}

/** One apply of the project's history. */
export interface ViewHistoryEntry {
  /** What rollback takes (`Apply/<id>` as an action target); null for old records. */
  id: string | null;
  /** The apply kept its desired set: it can be rolled back to. */
  restorable: boolean;
  time: number;
  outcome: string;
  commit: string | null;
  /** The commit's subject line and author (`Name <email>`), for a git source; else null. */
  subject: string | null;
  author: string | null;
  sources: string[];
  message: string | null;
  /** What the apply did, as `berth history` counts it (its `+created ~changed -deleted`). */
  created: number;
  changed: number;
  deleted: number;
  failed: number;
  /** The same in words for the page: `7 created`, `1 changed, 1 deleted`, `nothing changed`. */
  summary: string;
}

/** A button the page may show; only actions the server reports are rendered. */
export interface ViewAction {
  id: string;
  label: string;
  /** `project`: one button for everything; `object`: one per row of the given kinds. */
  scope: 'project' | 'object';
  kinds?: string[];
}

export interface ViewProject {
  project: string;
  inSync: boolean;
  /** The controller reached every engine on its last look. */
  engineReachable: boolean;
  /** The engine the watch runs against: its context and address (`ctx (tcp://…)`). */
  engine: string | null;
  notice: string | null;
  observedAt: string | null;
}

/** Everything the page shows, at one stream id. */
export interface ViewSnapshot {
  project: ViewProject;
  rows: ViewRow[];
  plan: ViewStep[];
  history: ViewHistoryEntry[];
  /** Recent events per object key, oldest first, at most EVENTS_PER_OBJECT each. */
  events: Record<string, ViewEvent[]>;
  actions: ViewAction[];
}

/** One message of the stream; every message but `snapshot` is a change to apply. */
export type StreamMessage =
  | { type: 'snapshot'; snapshot: ViewSnapshot }
  | { type: 'project'; project: ViewProject }
  | { type: 'row'; row: ViewRow }
  | { type: 'remove'; key: string }
  | { type: 'event'; key: string; event: ViewEvent }
  | { type: 'plan'; steps: ViewStep[] }
  | { type: 'history'; history: ViewHistoryEntry[] };

/** How many recent events each object keeps. */
export const EVENTS_PER_OBJECT = 20;
