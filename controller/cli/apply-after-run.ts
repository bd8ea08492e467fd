import type { ExecuteResult } from '../executor/execute.js';
import { settledAsDeclared } from '../executor/plan-work.js';
import { waitForReadiness } from '../executor/wait-ready.js';
import { waitForAwaitedJobs } from '../executor/wait-completed.js';
import type { Engine } from '../engine/engine.js';
import type { Plan } from '../plan/plan-types.js';
import type { DesiredObject } from '../../specs/model.js';

// What `berth apply` waits for once its plan ran: awaited jobs, `--wait` readiness, `--timeout`.

/** After the plan ran: the exit of every job it (re)ran that a kept container waits for. */
export async function withAwaitedJobs(
  engine: Engine,
  plan: Plan,
  desired: readonly DesiredObject[],
  ran: ExecuteResult,
  deadline: number,
  now: () => number,
): Promise<ExecuteResult> {
  return judgedBy(
    ran,
    await waitForAwaitedJobs(engine, plan, desired, ran.outcomes, deadline, now),
  );
}

/** `apply --wait`: after the plan ran, readiness of every container declared running. */
export async function withReadiness(
  engine: Engine,
  plan: Plan,
  ran: ExecuteResult,
  deadline: number,
  now: () => number,
): Promise<ExecuteResult> {
  return judgedBy(ran, await waitForReadiness(engine, plan, ran.outcomes, deadline, now));
}

/**
 * The run with the outcomes a later check (awaited jobs, readiness) gave: failed if any is
 * not as declared (failed, or a job `restartPolicy: Never` keeps exited), as the executor judges.
 */
export function judgedBy(ran: ExecuteResult, outcomes: ExecuteResult['outcomes']): ExecuteResult {
  return { outcomes, ok: ran.ok && outcomes.every(settledAsDeclared) };
}

/**
 * `work`'s result, or `'timeout'` when it has not settled within `ms` milliseconds; `work`
 * keeps running (the caller stops it). A negative `ms` times out at once.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>(
    (r) => (timer = setTimeout(() => r('timeout'), Math.max(0, ms))),
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
