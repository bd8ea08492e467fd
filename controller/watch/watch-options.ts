import type { Engine } from '../engine/engine.js';
import type { Logger } from '../logger.js';
import type { BackoffPolicy, CrashLoopTracker } from './backoff.js';
import type { DesiredStoreOptions } from './desired-store.js';
import type { QueueClock } from './work-queue.js';
import type { WorkSource } from './work-reason.js';

/** Where a change of the desired set came from, for history. */
export interface ChangeOrigin {
  sources: string[];
  commit?: { sha: string; author: string; subject: string };
}

/** What `berth watch` (and tests driving the controller) configure a WatchController with. */
export interface WatchOptions {
  /** berth's own engine: where objects without a placement go. */
  engine: Engine;
  /** The Docker context `engine` was reached through (placing an object on it is no placement). */
  engineContext?: string;
  /**
   * The engine of another Docker context (`spec.placement.context`), reached when the set
   * first places an object there; rejects (E_ENGINE_UNREACHABLE) when the context cannot be
   * read, which fails that context's objects only. Without it such objects fail.
   */
  engineFor?: (context: string) => Promise<Engine>;
  project: string;
  dir: string;
  allowEmpty: boolean;
  /** Full resync period; 0 turns the timer off. */
  resyncMs: number;
  parallel: number;
  logger: Logger;
  /** Prune also what another folder of the project applied (`--force`). */
  force?: boolean;
  /** Watch the folder with chokidar (tests driving reloads by hand turn it off). */
  watchFolder?: boolean;
  failureBackoff?: BackoffPolicy;
  crashLoop?: CrashLoopTracker;
  clock?: QueueClock;
  /** Where project records live: each change of the folder is recorded as an apply. */
  stateDir?: string;
  /** How the folder is read: the CLI's policy. Each engine is asked what it cannot carry. */
  loadOptions?: DesiredStoreOptions['loadOptions'];
  /** Folder `dir` is relative to (a git checkout's root); problems are shown relative to it. */
  cwd?: string;
  /** A git checkout's relative BindMount host paths resolve under `hostRoot` (`--host-root`). */
  hostRoot?: { checkout: string; hostRoot: string };
  /** `--env-file` files for interpolation of the manifests; none: `.env` in `dir`. */
  envFiles?: string[];
  /**
   * What history records as the source of a change: the git source gives its URL and the
   * commit being applied; a folder is recorded as itself (and its work tree's HEAD).
   */
  origin?: () => ChangeOrigin;
  /**
   * Sources of the desired set besides the folder (a git repository), started before the
   * first read so that their first revision is what the controller converges to.
   */
  sources?: WorkSource[];
}
