import { SCALED_TO_ZERO } from '../plan/plan-zero.js';
import type { NotReadyReason } from './readiness.js';
import type { Condition, ObjectStatus } from './status-types.js';
import { counted } from '../count-text.js';

/** What the conditions of one object are derived from; all of it already in the status. */
export type ConditionInput = Pick<
  ObjectStatus,
  | 'kind'
  | 'desired'
  | 'observed'
  | 'declared'
  | 'inSync'
  | 'reason'
  | 'pendingSteps'
  | 'health'
  | 'exitCode'
  | 'oomKilled'
  | 'restartCount'
  | 'conflict'
  | 'ready'
> & {
  /** A container declared running, as declared, but not ready (CrashLoopBackOff, Unhealthy…). */
  notReady?: { reason: NotReadyReason; message: string };
  /** Why the last apply failed on this object, when it is still out of step. */
  lastFailure?: string;
  /** A container that ran to completion as declared (exit code 0, restartPolicy OnFailure/Never). */
  completed?: boolean;
  /** Engine-derived time of the object's last change of state (RFC 3339) or null. */
  transitionTime: string | null;
};

/**
 * Ready, Progressing and Degraded, as Kubernetes reports them for a workload. Pure: the same
 * input always gives the same conditions. They share one transition time, the engine's last
 * change of the object (a start, a finish, its creation), because the engine keeps no per-
 * condition history and berth must not invent times from its own clock.
 */
export function deriveConditions(input: ConditionInput): Condition[] {
  const at = input.transitionTime;
  return [
    { type: 'Ready', ...ready(input), lastTransitionTime: at },
    { type: 'Progressing', ...progressing(input), lastTransitionTime: at },
    { type: 'Degraded', ...degraded(input), lastTransitionTime: at },
  ];
}

type Verdict = Pick<Condition, 'status' | 'reason' | 'message'>;

function ready(i: ConditionInput): Verdict {
  if (i.conflict) return { status: 'False', reason: 'Conflict', message: i.conflict };
  if (!i.declared)
    return {
      status: 'Unknown',
      reason: 'NotDeclared',
      message: 'owned by the project but no longer declared',
    };
  if (i.desired === SCALED_TO_ZERO && i.observed === 'absent')
    return { status: 'True', reason: 'ScaledToZero', message: '0/0 replicas ready (replicas: 0)' };
  if (i.observed === 'absent')
    return { status: 'False', reason: 'Absent', message: 'not on the engine' };
  const message = i.inSync ? `${i.observed} as declared` : (i.reason ?? '');
  if (i.kind !== 'Container')
    return { status: i.inSync ? 'True' : 'False', reason: 'Present', message };
  if (i.notReady) return { status: 'False', ...i.notReady };
  // Not ready, and rightly so (Kubernetes: PodCompleted): it is done, not failing.
  if (i.completed) return { status: 'False', reason: 'Completed', message: i.reason ?? '' };
  if (i.desired === 'running' && i.observed === 'running') {
    if (i.health === 'unhealthy')
      return { status: 'False', reason: 'Unhealthy', message: 'healthcheck reports unhealthy' };
    if (i.health === 'starting')
      return {
        status: 'False',
        reason: 'HealthStarting',
        message: 'healthcheck has not passed yet',
      };
  }
  // A container's Ready is its `ready` (DESIGN.md: "running, and healthy where it has a
  // healthcheck"), the one answer the table, -o json and describe give (F270: a network
  // detached by hand made the condition False beside `ready: true`). Drift shows in SYNC and
  // Progressing, not here.
  const matches = i.ready ?? (i.observed === i.desired && i.inSync);
  return { status: matches ? 'True' : 'False', reason: camel(i.observed), message };
}

function progressing(i: ConditionInput): Verdict {
  if (i.pendingSteps.length > 0) {
    const steps = i.pendingSteps.map((s) => `${s.action} (${s.cause})`).join(', ');
    return { status: 'True', reason: 'PendingSteps', message: steps };
  }
  if (i.observed === 'restarting' || i.observed === 'removing') {
    return { status: 'True', reason: camel(i.observed), message: `the engine is ${i.observed} it` };
  }
  if (i.health === 'starting')
    return { status: 'True', reason: 'HealthStarting', message: 'waiting for the healthcheck' };
  return { status: 'False', reason: 'Settled', message: '' };
}

function degraded(i: ConditionInput): Verdict {
  if (i.conflict) return { status: 'True', reason: 'Conflict', message: i.conflict };
  if (i.lastFailure) return { status: 'True', reason: 'ApplyFailed', message: i.lastFailure };
  if (i.notReady && i.notReady.reason !== 'HealthStarting')
    return { status: 'True', ...i.notReady };
  if (i.health === 'unhealthy')
    return { status: 'True', reason: 'Unhealthy', message: 'healthcheck reports unhealthy' };
  if (i.observed === 'dead')
    return { status: 'True', reason: 'Dead', message: 'the engine reports the container dead' };
  if (i.observed === 'restarting') {
    const restarts = i.restartCount === null ? '' : `${counted(i.restartCount, 'restart')}, `;
    const code = i.exitCode === null ? 'exit code unknown' : `last exit code ${i.exitCode}`;
    const oom = i.oomKilled ? ' (OOMKilled)' : '';
    return { status: 'True', reason: 'CrashLoop', message: `restarting: ${restarts}${code}${oom}` };
  }
  if (
    i.desired === 'running' &&
    i.observed === 'exited' &&
    i.exitCode !== null &&
    i.exitCode !== 0
  ) {
    // Kubernetes' reason for a run the kernel ended for exceeding its memory limit (F464).
    if (i.oomKilled)
      return {
        status: 'True',
        reason: 'OOMKilled',
        message: `exited with code ${i.exitCode}: the kernel's OOM killer ended it for exceeding its memory limit`,
      };
    return { status: 'True', reason: 'Failed', message: `exited with code ${i.exitCode}` };
  }
  return { status: 'False', reason: 'AsExpected', message: '' };
}

function camel(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
