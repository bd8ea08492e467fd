import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import { execute, type ExecuteOptions, type ExecuteResult } from '../executor/execute.js';
import { observeAndPlan } from '../observe.js';
import { readHistory } from '../records/records.js';
import { mergeTakeBack, replicasToTakeBack, takeBackPlan } from '../update/replica-rollback.js';

/** What taking replicas back needs: the run's options, its desired set and result. */
export interface TakeBackInput extends Omit<ExecuteOptions, 'plan' | 'desired' | 'observed'> {
  project: string;
  stateDir: string;
  desired: readonly DesiredObject[];
  result: ExecuteResult;
  keepImageIds?: ReadonlySet<string>;
}

/**
 * `replicas > 1` with `onFailure: rollback` (issue 14): when replica k failed its gate, the
 * replicas this apply already replaced go back to the previous spec — the set of the newest
 * apply in history that converged — through a plan of that set reduced to them (observe → plan → execute: the same gated
 * update path, one replica at a time). Without a previous set nothing is taken back. The
 * result says per replica whether it is back.
 */
export async function takeBackReplicas(input: TakeBackInput): Promise<ExecuteResult> {
  const { result, engine, stateDir } = input;
  const groups = replicasToTakeBack(input.desired, result.outcomes);
  if (groups.length === 0) return result;
  // The spec the replaced replicas ran: that of the newest apply that converged (a failed
  // apply's set may never have run; its replicas were rolled back to the one before).
  const history = await readHistory(stateDir, input.project);
  const objects = history.ok
    ? history.value.find((e) => e.outcome === 'converged' && e.objects?.length)?.objects
    : undefined;
  if (!objects) return result;
  const failedOf = new Map<ObjectKey, ObjectKey>();
  for (const g of groups) for (const k of g.keys) failedOf.set(k, g.failed);
  const planned = await observeAndPlan(engine, {
    project: input.project,
    desired: objects,
    prune: false,
    ...(input.keepImageIds ? { keepImageIds: input.keepImageIds } : {}),
  });
  const back = await execute({
    ...input,
    plan: takeBackPlan(planned.plan, new Set(failedOf.keys())),
    desired: objects,
    observed: planned.observed,
  });
  return { outcomes: mergeTakeBack(result.outcomes, back.outcomes, failedOf), ok: false };
}
