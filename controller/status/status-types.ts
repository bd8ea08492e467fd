import type { Kind, ObjectKey } from '../../specs/model.js';
import type { HealthStatus } from '../engine/engine.js';

/**
 * The status model every output shares (tables, describe, JSON/YAML, the watch status API).
 * It is also the JSON output: field names are documented in schemas/output/ and never renamed.
 * Times are RFC 3339 strings; unknown values are null so every field is always present.
 */

export type ConditionType = 'Ready' | 'Progressing' | 'Degraded';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A Kubernetes-style condition. */
export interface Condition {
  type: ConditionType;
  status: ConditionStatus;
  /** CamelCase, machine-matchable: Running, Paused, Unhealthy, PendingSteps, Conflict… */
  reason: string;
  message: string;
  /** From engine timestamps or records, never the wall clock; null when unknown. */
  lastTransitionTime: string | null;
}

/** One object of the project: declared, on the engine, or both. */
export interface ObjectStatus {
  project: string;
  key: ObjectKey;
  kind: Kind;
  name: string;
  /** Engine name (`<project>-<name>`) for containers, networks, volumes. */
  engineName: string | null;
  /**
   * The Docker context of the engine holding it (`spec.placement.context`); null: the engine
   * berth runs against. Its key is then `Kind/name@context`.
   */
  context: string | null;
  /** Engine id (container/network/image id, volume name); null when absent. */
  id: string | null;
  /** Declared state ('running', 'present'…); 'absent' for owned objects no longer declared. */
  desired: string;
  /** 'absent', a container's engine state, or 'present'. */
  observed: string;
  /** False for owned objects on the engine that the set does not declare. */
  declared: boolean;
  inSync: boolean;
  /** Why it is out of sync, or what keeps it as it is; null when nothing to say. */
  reason: string | null;
  /** The actions the planner would take next, with their causes. */
  pendingSteps: { action: string; cause: string }[];
  conditions: Condition[];
  /** Kept for readers of the first wave; the same number as `restarts` for containers. */
  restartCount: number | null;
  exitCode: number | null;
  health: HealthStatus | null;
  /** Containers: berth's restarts plus the engine's RestartCount of the current container. */
  restarts: number | null;
  /** Containers: exit code of the last time it stopped; null when it never has. */
  lastExitCode: number | null;
  /**
   * Containers: the kernel's OOM killer ended its last run, for exceeding its memory limit
   * (Docker's State.OOMKilled, Kubernetes' reason OOMKilled), known while it is stopped or
   * restarting; null for other kinds.
   */
  oomKilled: boolean | null;
  /** Containers: running, healthy where it has a healthcheck, not crash-looping or backing off. */
  ready: boolean | null;
  /** `hostIP:hostPort->containerPort/protocol`. */
  ports: string[];
  networks: string[];
  createdAt: string | null;
  ageSeconds: number | null;
  /** The image reference the engine reports (container's image, image's first tag). */
  image: string | null;
  imageId: string | null;
  /** `repo@sha256:…` of the image the object uses, when the engine knows one. */
  imageDigest: string | null;
  /** An engine object with this object's name but without berth's labels. */
  conflict: string | null;
}

/** What the project's state is compared against. */
export type DesiredSource = 'last-applied' | 'files' | 'none';

export interface LastApplySummary {
  time: string;
  sources: string[];
  commit: string | null;
  outcome: string;
  durationMs: number;
}

export interface ProjectStatus {
  project: string;
  /**
   * Every declared object in sync, every container declared `running` ready, and no conflict
   * (owned leftovers are listed, not counted).
   */
  inSync: boolean;
  /** The instant the engine was observed. */
  observedAt: string;
  desiredSource: DesiredSource;
  /** Set when there is nothing to compare against or the record is unreadable. */
  notice: string | null;
  /** Objects per observed state ('running', 'absent', 'present'…). */
  counts: Record<string, number>;
  outOfSync: number;
  lastApply: LastApplySummary | null;
  /** Declared objects the engine does not have. */
  missing: ObjectKey[];
  /** Owned objects on the engine the set no longer declares. */
  undeclared: ObjectKey[];
  conflicts: { key: ObjectKey; engineName: string; message: string }[];
  objects: ObjectStatus[];
  /** The git source `berth watch --git` reads, with its SourceReady condition; else null. */
  source: SourceStatus | null;
}

/** DESIGN.md "Git source": where the desired set comes from and whether reading it works. */
export interface SourceStatus {
  kind: 'git';
  /** Credentials redacted. */
  url: string;
  ref: string;
  path: string;
  /** The last relevant commit, handed to the controller. */
  revision: string | null;
  /** Where the ref points now (relevant or not). */
  head: string | null;
  conditions: {
    type: 'SourceReady';
    status: ConditionStatus;
    /** CamelCase: Checked, CheckFailed, Refused, Pending. */
    reason: string;
    message: string;
    lastSuccess: string | null;
    lastError: string | null;
    consecutiveFailures: number;
  }[];
}
