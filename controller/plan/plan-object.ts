import type { ObjectPlan, PlanStep, StepAction, StepSymbol } from './plan-types.js';

/**
 * The two constructors every planner of a kind uses: an object's plan entry (in sync exactly
 * when it has no steps and no reason) and one step. Kept apart from the kinds' planners so
 * the update planners (controller/update) can use them without an import cycle.
 */
type Base = Omit<ObjectPlan, 'steps' | 'inSync' | 'observed' | 'desired' | 'after'> & {
  after?: ObjectPlan['after'];
};

/** An object's plan entry; `reason` defaults to its first step's cause. */
export function objectPlan(
  base: Base,
  observed: string,
  desired: string,
  steps: PlanStep[],
  reason?: string,
): ObjectPlan {
  return {
    ...base,
    after: base.after ?? [],
    observed,
    desired,
    steps,
    inSync: steps.length === 0 && reason === undefined,
    reason: reason ?? steps[0]?.cause,
  };
}

/** One plan step; `target` names what the step acts on when it is not the object itself. */
export const step = (
  key: ObjectPlan['key'],
  action: StepAction,
  symbol: StepSymbol,
  cause: string,
  target?: string,
): PlanStep =>
  target === undefined ? { key, action, symbol, cause } : { key, action, symbol, cause, target };
