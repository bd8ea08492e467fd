import type { execute, ExecuteResult } from '../executor/execute.js';
import { needsWork } from '../executor/plan-work.js';
import type { takeBackReplicas } from '../executor/replica-takeback.js';
import type { Plan } from '../plan/plan-types.js';

/** The executor's two entry points, loaded by runPlan. */
export interface Executor {
  execute: typeof execute;
  takeBackReplicas: typeof takeBackReplicas;
}

/**
 * Runs the plan with the executor, loaded only when some object needs work: a no-op apply
 * (every object in sync, no step) ends as execute would end it, with no outcome and ok, and
 * never loads the executor and its state machines (issue 18: no-op apply time).
 */
export async function runPlan(
  plan: Plan,
  run: (executor: Executor) => Promise<ExecuteResult>,
): Promise<ExecuteResult> {
  if (!plan.objects.some(needsWork)) return { outcomes: [], ok: true };
  const [executor, takeBack] = await Promise.all([
    import('../executor/execute.js'),
    import('../executor/replica-takeback.js'),
  ]);
  return run({ execute: executor.execute, takeBackReplicas: takeBack.takeBackReplicas });
}
