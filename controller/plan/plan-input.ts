import type { DesiredObject, Kind, ObjectKey } from '../../specs/model.js';
import type { ObservedContainer, ObservedState } from '../engine/engine.js';

export type HostPathKind = 'directory' | 'file' | 'socket' | 'absent';

/** Everything the planner looks at. Gathered by observe; the planner itself does no I/O. */
export interface PlanInput {
  project: string;
  desired: DesiredObject[];
  observed: ObservedState;
  /** What the host has at each declared BindMount path. */
  hostPaths: ReadonlyMap<string, HostPathKind>;
  /**
   * Engine objects that carry a declared object's engine name but are not this project's
   * (foreign, or another project's: `holder` says which, labels.ts holderOf).
   */
  unowned?: { kind: Kind; name: string; engineName: string; holder?: string }[];
  /** `Kind/name` of the declared external networks and volumes the engine has. */
  externals?: ReadonlySet<string>;
  /**
   * Temporary engine names of this plan's updates (`-next`/`-prev`) that containers other than
   * the object's own leftovers hold, with who holds them (labels.ts holderOf): those updates
   * are blocked (F168). Looked up by observe.ts planProject only when a plan holds an update.
   */
  updateNamesTaken?: ReadonlyMap<string, string>;
  /** List owned objects that are no longer declared, for deletion. */
  prune: boolean;
  /** What berth remembers of each container's restarts (a running controller's tracker). */
  restarts?: ReadonlyMap<ObjectKey, RestartMemory>;
  /**
   * Ids of the images the applies in the rollback depth ran on: earlier builds outside it are
   * removed. Unset: history is unknown and no build is removed.
   */
  keepImageIds?: ReadonlySet<string>;
  /** ref → exact image id (a rollback): a ref that names another image is tagged back. */
  pinnedImages?: ReadonlyMap<string, string>;
}

/** berth's own memory of a container, which the engine does not keep. */
export interface RestartMemory {
  /** Back-off (ms) still to wait before berth may restart it again. */
  backoffMs: number;
  /**
   * Its health verdict predates an unpause: probes failed against the frozen container, so
   * `unhealthy` means nothing until it has been probed again (issue 11).
   */
  healthStale?: boolean;
}

/** Owned containers, networks and volumes of the project, by `Kind/name` (plan.ts `indexOwned`). */
export type OwnedIndex = Map<
  ObjectKey,
  ObservedContainer | ObservedState['networks'][number] | ObservedState['volumes'][number]
>;
