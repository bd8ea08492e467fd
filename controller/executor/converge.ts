import type { DesiredObject } from '../../specs/model.js';
import type { Engine } from '../engine/engine.js';
import { observeAndPlan } from '../observe.js';
import type { Plan } from '../plan/plan-types.js';
import { execute, type ExecuteResult, type ProgressEvent } from './execute.js';

export interface ConvergeOptions {
  project: string;
  desired: DesiredObject[];
  prune: boolean;
  parallel: number;
  /** Unix ms. */
  deadline: number;
  now?: () => number;
  onProgress?: (event: ProgressEvent) => void;
}

/** One full round: observe, plan, execute. What `apply` does once and `watch` does per change. */
export async function converge(
  engine: Engine,
  options: ConvergeOptions,
): Promise<{ plan: Plan; result: ExecuteResult }> {
  const { plan, observed } = await observeAndPlan(
    engine,
    { project: options.project, desired: options.desired, prune: options.prune },
    { recoverUpdates: true },
  );
  const result = await execute({
    engine,
    plan,
    desired: options.desired,
    observed,
    parallel: options.parallel,
    deadline: options.deadline,
    now: options.now,
    onProgress: options.onProgress,
  });
  return { plan, result };
}
