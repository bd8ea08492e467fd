import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import { toBerthError } from '../errors.js';
import { execute, type ExecuteOptions, type ExecuteResult, type ObjectOutcome } from './execute.js';
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
 * replicas this run already replaced go back to the previous spec — the set of the newest
 * apply in history that converged — through a plan of that set reduced to them (observe →
 * plan → execute: the same gated update path, one replica at a time). `apply`, `up`,
 * `rollback` and `berth watch` all take replicas back through here. Without a previous set
 * nothing is taken back. The result says per replica whether it is back. Never rejects: a
 * take-back that cannot observe the engine says so in each replica's message.
 */
export async function takeBackReplicas(input: TakeBackInput): Promise<ExecuteResult> {
  const { result, stateDir } = input;
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
  const back = await runTakeBack(input, objects, new Set(failedOf.keys()));
  return { outcomes: mergeTakeBack(result.outcomes, back, failedOf), ok: false };
}

/** Observes, plans `previous` reduced to `keys`, and runs it; a failure fails each key. */
async function runTakeBack(
  input: TakeBackInput,
  previous: DesiredObject[],
  keys: ReadonlySet<ObjectKey>,
): Promise<ObjectOutcome[]> {
  try {
    const planned = await observeAndPlan(input.engine, {
      project: input.project,
      desired: previous,
      prune: false,
      ...(input.keepImageIds ? { keepImageIds: input.keepImageIds } : {}),
    });
    const back = await execute({
      ...input,
      plan: takeBackPlan(planned.plan, keys),
      desired: previous,
      observed: planned.observed,
    });
    return back.outcomes;
  } catch (e) {
    const error = toBerthError(e);
    return [...keys].map((key) => ({
      key,
      outcome: 'failed' as const,
      ops: [],
      message: error.message,
      code: error.code,
    }));
  }
}
