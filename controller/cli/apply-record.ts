import { resolve } from 'node:path';
import type { ExecuteResult } from '../executor/execute.js';
import { needsWork } from '../executor/plan-work.js';
import { ranCounts, ranSteps } from '../executor/ran-summary.js';
import type { BerthError } from '../errors.js';
import type { Plan } from '../plan/plan-types.js';
import { recordApply, type ApplyOutcome } from '../records/index.js';
import { imagesOfSet } from '../records/image-history.js';
import { unrecordedApply } from '../records/record-error.js';
import type { CliContext } from './context.js';
import type { ApplyJob } from './apply-job.js';

/** What history records as the apply's sources: the rollback's, else the `-f` paths. */
export function applySources(ctx: CliContext, job: ApplyJob): string[] {
  return (
    job.sources ?? job.options.filename.filter((s) => s !== '-').map((s) => resolve(ctx.cwd, s))
  );
}

/** How one apply ended, as history keeps it. */
export interface ApplyEnd {
  plan: Plan;
  result: ExecuteResult | 'timeout';
  outcome: ApplyOutcome;
  durationMs: number;
}

/**
 * Writes the apply to the project's records (last applied set, history). Resolves with an
 * E_RECORD error naming the state folder when they cannot be written (a full disk, F181: apply
 * said `converged`, exit 0, and `down` later found nothing to delete), else undefined.
 */
export async function recordApplyEnd(
  ctx: CliContext,
  job: ApplyJob,
  end: ApplyEnd,
): Promise<BerthError | undefined> {
  const { plan, result, durationMs } = end;
  const time = job.started;
  const outcomes = result === 'timeout' ? [] : result.outcomes;
  const counts = ranCounts(plan, outcomes);
  if (result === 'timeout') counts.failed = plan.objects.filter(needsWork).length;
  try {
    await recordApply(ctx.stateDir, job.project, {
      time,
      sources: applySources(ctx, job),
      ...(job.commit !== undefined ? { commit: job.commit } : {}),
      ...(job.message ? { message: job.message } : {}),
      // A rollback is always its own entry; a re-run of the same apply is counted (F275).
      repeatable: !job.message,
      prune: Boolean(job.options.prune),
      outcome: end.outcome,
      counts,
      durationMs,
      steps: ranSteps(plan, outcomes, time + durationMs),
      objects: job.desired,
      images: await imagesOfSet(await ctx.engine(), job.desired, job.unchangedImages),
    });
  } catch (e) {
    return unrecordedApply(ctx.stateDir, job.project, e);
  }
  return undefined;
}
