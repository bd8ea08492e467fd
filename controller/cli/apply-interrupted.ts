import type { ExecuteResult, ObjectOutcome } from '../executor/execute.js';
import { needsWork } from '../executor/plan-work.js';
import type { Plan } from '../plan/plan-types.js';
import type { ApplyJob } from './apply-job.js';
import { recordApplyEnd } from './apply-record.js';
import type { CliContext } from './context.js';
import type { Interrupt } from './interrupt.js';
import { undoText, type UndoResult } from './interrupt-undo.js';
import {
  interruptedObjects,
  interruptedText,
  type AbandonedObject,
} from './interrupted-objects.js';
import { writeOutput } from './views/stable-output.js';

/**
 * Records an apply stopped by Ctrl-C (or SIGTERM, SIGHUP: F180) and says what it did; exit
 * 128 + the signal (130, 143, 129).
 */
export async function interrupted(
  ctx: CliContext,
  interrupt: Interrupt,
  job: ApplyJob,
  plan: Plan | undefined,
  outcomes: ObjectOutcome[],
  undone: UndoResult,
  /**
   * The objects a second signal abandoned under way (F194), and those under way at the first
   * signal (cut short: a build it cancelled is begun, not a failure of its own).
   */
  left: { abandoned?: AbandonedObject[]; cutShort?: AbandonedObject[] } = {},
): Promise<number> {
  const durationMs = ctx.now() - job.started;
  const result: ExecuteResult = { outcomes, ok: false };
  const empty: Plan = { project: job.project, objects: [], conflicts: [] };
  const unrecorded = await recordApplyEnd(ctx, job, {
    plan: plan ?? empty,
    result,
    outcome: 'interrupted',
    durationMs,
  });
  if (unrecorded) ctx.stderr.write(`error: ${unrecorded.message}\n`);
  const pending = (plan?.objects ?? []).filter(needsWork).map((o) => o.key);
  const seconds = (durationMs / 1000).toFixed(1);
  // Per object: done, created not started, begun, failed, abandoned or skipped (F641, F643).
  const objects = interruptedObjects(pending, outcomes, left);
  // `-o json` (yaml) is one document here too, as when the apply ends or is refused (F465).
  const document = {
    project: job.project,
    ok: false,
    interrupted: interrupt.signalledBy ?? 'SIGINT',
    durationMs,
    outcomes,
    objects,
    notDone: objects.filter((o) => o.state !== 'done').map((o) => o.key),
    abandoned: objects.filter((o) => o.state === 'abandoned').map((o) => o.key),
    ...(undone.steps.length ? { undone: undone.steps } : {}),
    ...(undone.error ? { undoError: undone.error } : {}),
    ...(unrecorded ? { recordError: unrecorded.message } : {}),
  };
  await writeOutput(ctx, job.options.output, document, () =>
    interruptedText(job.project, objects, seconds, undoText(undone), interrupt.signalledBy),
  );
  return interrupt.exitCode;
}
