import type { DesiredContainerState, RestartPolicy } from '../../specs/model.js';
import type { EngineContainerState } from '../engine/engine.js';

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
  /** Exit code of an exited container, when known. */
  exitCode?: number;
}

export type ContainerDecision =
  | { kind: 'op'; op: ContainerOp }
  /** `restarting` or `removing`: wait for the engine to settle, then decide again. */
  | { kind: 'wait' }
  | { kind: 'done' }
  /** Out of step with the declaration, but the declaration itself says to leave it so. */
  | { kind: 'hold'; reason: string };

const op = (o: ContainerOp): ContainerDecision => ({ kind: 'op', op: o });

/**
 * DESIGN.md's lifecycle table as a function: the next operation for a container, given
 * what the engine has and what was declared. Pure; the container machine and the planner
 * both call it, so `berth plan` prints exactly what `apply` runs.
 */
export function decideContainer(s: ContainerSituation): ContainerDecision {
  if (s.observed === 'restarting' || s.observed === 'removing') return { kind: 'wait' };
  if (s.observed === 'absent') return op('create');
  if (s.observed === 'dead') return op('remove');
  // Replacing, and moving back to `created`, both need a fresh container: stop, remove, create.
  const recreate = s.replace || (s.desired === 'created' && s.observed !== 'created');
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

/** A container declared `running` that exited: restartPolicy decides (DESIGN.md, Lifecycle). */
function restartAfterExit(s: ContainerSituation): ContainerDecision {
  if (s.restartPolicy === 'Always') return op('start');
  if (s.restartPolicy === 'OnFailure') {
    if (s.exitCode === 0)
      return {
        kind: 'hold',
        reason: 'completed (exit code 0); restartPolicy OnFailure keeps it exited',
      };
    return op('start');
  }
  const code = s.exitCode === undefined ? '' : ` (exit code ${s.exitCode})`;
  return { kind: 'hold', reason: `exited${code}; restartPolicy Never keeps it exited` };
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
 * prints. Stops at `wait` (the engine decides what comes next) and at `hold`.
 */
export function containerOpSequence(start: ContainerSituation): {
  ops: ContainerOp[];
  end: ContainerDecision;
} {
  const ops: ContainerOp[] = [];
  let s = { ...start };
  for (let i = 0; i < 8; i++) {
    const d = decideContainer(s);
    if (d.kind !== 'op') return { ops, end: d };
    ops.push(d.op);
    // A fresh container has the declared spec and image; an operation clears an exit code.
    s = {
      ...s,
      observed: stateAfter(d.op),
      replace: d.op === 'create' ? false : s.replace,
      exitCode: undefined,
    };
  }
  throw new Error(`lifecycle table does not converge from ${JSON.stringify(start)}`);
}
