import type { DesiredObject, Kind } from '../../specs/model.js';
import type { ObservedState } from '../engine/engine.js';

export type HostPathKind = 'directory' | 'file' | 'absent';

/** Everything the planner looks at. Gathered by observe; the planner itself does no I/O. */
export interface PlanInput {
  project: string;
  desired: DesiredObject[];
  observed: ObservedState;
  /** What the host has at each declared BindMount path. */
  hostPaths: ReadonlyMap<string, HostPathKind>;
  /** Engine objects that carry a declared object's engine name but not berth's labels. */
  unowned?: { kind: Kind; name: string; engineName: string }[];
  /** `Kind/name` of the declared external networks and volumes the engine has. */
  externals?: ReadonlySet<string>;
  /** List owned objects that are no longer declared, for deletion. */
  prune: boolean;
}
