import type { DesiredContainerState, RestartPolicy } from '../../specs/model.js';
import type { EngineContainerState, HealthStatus } from '../engine/engine.js';
import { counted } from '../count-text.js';

/** The engine operations a container is driven through; each is one engine call. */
export type ContainerOp = 'create' | 'start' | 'stop' | 'pause' | 'unpause' | 'remove';

export type ObservedContainerState = EngineContainerState | 'absent';

/** Everything the lifecycle table looks at for one container. */
export interface ContainerSituation {
  observed: ObservedContainerState;
  desired: DesiredContainerState;
  /** The spec hash or the image id differ: the container must be replaced. */
  replace: boolean;
  restartPolicy: RestartPolicy;
  /**
   * `restartMaxRetries`, when the engine's RestartCount of this container has reached it: the
   * engine restarted a failing container as often as declared and left it exited, and berth
   * does not start it once more under OnFailure (F602). Unset: no limit, or not reached.
   */
  restartLimitReached?: number;
  /** Exit code of an exited container, when known. */
  exitCode?: number;
  /** The kernel's OOM killer ended its last run (the engine's State.OOMKilled), when known. */
  oomKilled?: boolean;
  /** The engine's health verdict; `unhealthy` restarts a running container (DESIGN.md). */
  health?: HealthStatus;
  /** `healthcheck.restartOnUnhealthy` (true when a healthcheck is declared and it is not off). */
  restartOnUnhealthy?: boolean;
  /**
   * The back-off (ms) still to wait before berth may restart this container again (DESIGN.md
   * second wave: 10 s doubling to 5 min); 0 or unset: a restart may run now.
   */
  backoffMs?: number;
  /** berth stopped it in order to restart it: start it whatever its restart policy says. */
  restartPending?: boolean;
  /**
   * Why it restarts after a dependency: a container it names in `dependsOn` with `restart:
   * true` is replaced by the same plan (Compose's `depends_on.restart`). A running container
   * is stopped and started again (not recreated); not a restart after a failure, so neither
   * counted nor backed off, as `berth restart` is not.
   */
  dependencyRestart?: string;
}

/** Why berth restarts a container that already ran: each such restart is counted and backed off. */
export type RestartReason = 'exit' | 'unhealthy';

export type ContainerDecision =
  /** `restart` marks the operation that begins a restart (counted, subject to back-off). */
  | { kind: 'op'; op: ContainerOp; restart?: RestartReason }
  /** A restart is due, but the back-off says not yet: look again after `waitMs`. */
  | { kind: 'backoff'; waitMs: number; reason: string }
  /** `restarting` or `removing`: wait for the engine to settle, then decide again. */
  | { kind: 'wait' }
  /**
   * Nothing to do. `completed` says why a container declared `running` is exited and that is
   * right: it ran to completion (exit code 0) under `restartPolicy: OnFailure` or `Never`.
   */
  | { kind: 'done'; completed?: string }
  /** Out of step with the declaration, but the declaration itself says to leave it so. */
  | { kind: 'hold'; reason: string };

const op = (o: ContainerOp): ContainerDecision => ({ kind: 'op', op: o });

/** A restart berth makes: now, or once the back-off has passed. */
function restart(s: ContainerSituation, o: ContainerOp, why: RestartReason): ContainerDecision {
  const waitMs = s.backoffMs ?? 0;
  if (waitMs > 0) {
    const what = why === 'unhealthy' ? 'unhealthy' : `exited${exitCodeText(s)}`;
    return {
      kind: 'backoff',
      waitMs,
      reason: `${what}; back-off: next restart in ${Math.ceil(waitMs / 1000)}s`,
    };
  }
  return { kind: 'op', op: o, restart: why };
}

/**
 * ` (exit code 137, OOMKilled)`: how an exited container's last run ended, in every reason
 * the planner gives; OOMKilled as Kubernetes words it (F464: 137 alone reads as a kill by hand).
 */
export function exitCodeText(s: Pick<ContainerSituation, 'exitCode' | 'oomKilled'>): string {
  const oom = s.oomKilled ? ', OOMKilled' : '';
  return s.exitCode === undefined
    ? oom
      ? ' (OOMKilled)'
      : ''
    : ` (exit code ${s.exitCode}${oom})`;
}

/**
 * DESIGN.md's lifecycle table as a function: the next operation for a container, given
 * what the engine has and what was declared. Pure; the container machine and the planner
 * both call it, so `berth plan` prints exactly what `apply` runs.
 */
export function decideContainer(s: ContainerSituation): ContainerDecision {
  if (s.observed === 'removing') return { kind: 'wait' };
  if (s.observed === 'absent') return op('create');
  if (s.observed === 'dead') return op('remove');
  // Replacing, and moving back to `created`, both need a fresh container: stop, remove, create.
  const recreate = s.replace || (s.desired === 'created' && s.observed !== 'created');
  // A crash-looping container is waited out, unless it is to be replaced: then it is stopped
  // (the engine's stop ends its restart loop). Fixing a crash loop is the commonest reason to
  // change a spec, and its restarts may leave no window to wait for (F80).
  if (s.observed === 'restarting') return recreate ? op('stop') : { kind: 'wait' };
  if (recreate)
    return s.observed === 'running' || s.observed === 'paused' ? op('stop') : op('remove');
  return CELLS[s.desired]({ ...s, observed: s.observed });
}

type Cell = (
  s: ContainerSituation & { observed: 'created' | 'running' | 'paused' | 'exited' },
) => ContainerDecision;

const CELLS: Record<DesiredContainerState, Cell> = {
  created: () => ({ kind: 'done' }),
  running: (s) => {
    if (s.observed === 'created') return op('start');
    if (s.observed === 'paused') return op('unpause');
    if (s.observed === 'exited') return restartAfterExit(s);
    if (s.dependencyRestart !== undefined) return op('stop');
    // The engine never restarts an unhealthy container itself (DESIGN.md, Lifecycle).
    if (s.health === 'unhealthy' && s.restartOnUnhealthy) return restart(s, 'stop', 'unhealthy');
    return { kind: 'done' };
  },
  paused: (s) => {
    if (s.observed === 'created' || s.observed === 'exited') return op('start');
    if (s.observed === 'running') return op('pause');
    return { kind: 'done' };
  },
  exited: (s) => {
    if (s.observed === 'created') return op('start');
    if (s.observed === 'running' || s.observed === 'paused') return op('stop');
    return { kind: 'done' };
  },
};

/**
 * Exit code 0 under OnFailure or Never: the container did its job (a migration, a seed).
 * That is its declared end, as a Kubernetes Job's completion or Compose's
 * service_completed_successfully (DESIGN.md, Lifecycle: "under OnFailure unless its exit
 * code was 0 (it completed)"). The one definition: the table and `apply --wait` ask it.
 */
export function ranToCompletion(policy: RestartPolicy, exitCode: number | undefined): boolean {
  return policy !== 'Always' && exitCode === 0;
}

/** A container declared `running` that exited: restartPolicy decides (DESIGN.md, Lifecycle). */
function restartAfterExit(s: ContainerSituation): ContainerDecision {
  // The second half of a restart berth began (after `unhealthy`): already counted.
  if (s.restartPending) return op('start');
  if (s.restartPolicy === 'Always') return restart(s, 'start', 'exit');
  // Done as declared: in sync, nothing to do.
  if (ranToCompletion(s.restartPolicy, s.exitCode))
    return {
      kind: 'done',
      completed: `completed (exit code 0); restartPolicy ${s.restartPolicy} keeps it exited`,
    };
  if (s.restartPolicy === 'OnFailure' && s.restartLimitReached !== undefined)
    return {
      kind: 'hold',
      reason:
        `exited${exitCodeText(s)} after ${counted(s.restartLimitReached, 'restart')}; ` +
        `restartMaxRetries ${s.restartLimitReached} keeps it exited`,
    };
  if (s.restartPolicy === 'OnFailure') return restart(s, 'start', 'exit');
  return { kind: 'hold', reason: `exited${exitCodeText(s)}; restartPolicy Never keeps it exited` };
}

/**
 * The situation after an operation succeeded as the engine promises: its state, a fresh
 * container's declared spec, no exit code, and no health verdict yet (a restarted or unpaused
 * container has not been probed since: a status seen while paused never restarts it).
 */
export function situationAfter(
  s: ContainerSituation,
  o: ContainerOp,
  restartReason?: RestartReason,
): ContainerSituation {
  const observed = stateAfter(o);
  return {
    ...s,
    observed,
    replace: o === 'create' ? false : s.replace,
    exitCode: undefined,
    health: o === 'stop' || o === 'start' || o === 'unpause' || o === 'create' ? 'none' : s.health,
    restartPending:
      restartReason === 'unhealthy' || (o === 'stop' && s.dependencyRestart !== undefined)
        ? true
        : o === 'start'
          ? false
          : s.restartPending,
    dependencyRestart: o === 'stop' ? undefined : s.dependencyRestart,
    // A restart berth made (or let through) starts the next back-off from the caller's count.
    backoffMs: restartReason ? 0 : s.backoffMs,
  };
}

/** What an operation leaves behind, when it succeeds as the engine promises. */
export function stateAfter(o: ContainerOp): ObservedContainerState {
  switch (o) {
    case 'create':
      return 'created';
    case 'start':
    case 'unpause':
      return 'running';
    case 'stop':
      return 'exited';
    case 'pause':
      return 'paused';
    case 'remove':
      return 'absent';
  }
}

/**
 * The whole sequence of operations from a situation, assuming each succeeds: what plan
 * prints. Stops at `wait` (the engine decides what comes next), `hold` and `backoff`.
 */
export function containerOpSequence(start: ContainerSituation): {
  ops: ContainerOp[];
  end: ContainerDecision;
  /** Set when the first operation begins a restart berth makes. */
  restart?: RestartReason;
} {
  const ops: ContainerOp[] = [];
  let s = { ...start };
  const first = decideContainer(s);
  const restart = first.kind === 'op' ? first.restart : undefined;
  for (let i = 0; i < 8; i++) {
    const d = decideContainer(s);
    if (d.kind !== 'op') return { ops, end: d, ...(restart ? { restart } : {}) };
    ops.push(d.op);
    s = situationAfter(s, d.op, d.restart);
  }
  throw new Error(`lifecycle table does not converge from ${JSON.stringify(start)}`);
}
