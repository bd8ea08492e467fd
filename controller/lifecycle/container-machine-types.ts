import type {
  ContainerOp,
  ContainerSituation,
  ObservedContainerState,
  RestartReason,
} from './container-decision.js';

/** What the engine says of the container now (after `inspect`). */
export interface ContainerSnapshot {
  observed: ObservedContainerState;
  containerId?: string;
  exitCode?: number;
  /** The engine's restart count (its restart policy at work), when known. */
  restartCount?: number;
  /** Unix ms (engine clock) its current or last run started, when known. */
  startedAt?: number;
  /**
   * How long the current run had been up when it was looked at (ms), as the driver measures
   * it; never more than the time since berth's start of it. Unset: unknown.
   */
  runAgeMs?: number;
}

/**
 * What one operation reports. `create` gives the new id; `adopted`: the name was taken by a
 * container with our labels and the same spec (an interrupted run, a concurrent apply): it is
 * taken over as it is.
 */
export interface OperateOutput {
  containerId?: string;
  adopted?: ContainerSnapshot;
}

/** Kept for the actor that creates: its output. */
export type CreateOutput = OperateOutput & { containerId: string };

/** What the `operate` actor is given: the operation and the container it acts on, if any. */
export interface OperateInput {
  op: ContainerOp;
  containerId?: string;
}

/** What the container machine starts from: the container, its situation, its limits. */
export interface ContainerMachineInput {
  key: string;
  containerId?: string;
  situation: ContainerSituation;
  /** How many times to wait out `restarting`/`removing` before giving up. */
  maxSettleWaits?: number;
  /**
   * A run berth started (or the engine's restart policy started while this machine waited
   * out `restarting`) counts as started once it has been up this long (ms, START_SETTLE_MS);
   * 0: believed at the first look. F341: a process that exits at once is `running` or
   * `restarting` by chance at that look, so one input gave `converged` or `failed`.
   */
  startSettleMs?: number;
}

/** The machine's context: plain data, no engine (STYLE.md "Machines"). */
export interface ContainerMachineContext {
  outcome?: ContainerMachineOutput['outcome'];
  key: string;
  containerId?: string;
  situation: ContainerSituation;
  /** The decision being carried out by `operating`. */
  pending?: { op: ContainerOp; restart?: RestartReason };
  /** Operations run so far, in order. */
  ops: ContainerOp[];
  /** Restarts begun so far (each counted and backed off by the caller). */
  restarts: RestartReason[];
  settleWaits: number;
  maxSettleWaits: number;
  startSettleMs: number;
  /** The engine's word at the last look: the run a start is judged by. */
  lastSeen?: ContainerSnapshot;
  /** The run seen right after a start, held until it is `startSettleMs` old. */
  startedRun?: ContainerSnapshot;
  verifications: number;
  /** Transient engine failures retried so far. */
  retries: number;
  /** Replaced once already because the engine kept a stale task of it (F766). */
  staleTaskReplaced?: boolean;
  reason?: string;
  /** Set when a restart waits for its back-off: look again after this many ms. */
  retryAfterMs?: number;
  error?: unknown;
}

/** What the machine ends with: its outcome, the operations run, why it held or failed. */
export interface ContainerMachineOutput {
  outcome: 'converged' | 'held' | 'failed';
  ops: ContainerOp[];
  restarts?: RestartReason[];
  containerId?: string;
  reason?: string;
  retryAfterMs?: number;
  error?: unknown;
}
