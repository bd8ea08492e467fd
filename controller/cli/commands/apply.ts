import { parseDelay } from '../../../specs/validate/values.js';
import type { ExecuteResult, ProgressEvent } from '../../executor/execute.js';
import { needsWork } from '../../executor/plan-work.js';
import { BerthError, exitCodeFor, formatError } from '../../errors.js';
import { observeAndPlan } from '../../observe.js';
import { homeContext, planOf } from '../plan-of.js';
import { formatPlan, planJson } from '../../plan/plan-format.js';
import { refuseMissingExternals } from '../../plan/plan-unmanaged.js';
import { conflictRefusal } from '../conflict-refusal.js';
import { settleHoldAfterApply } from '../apply-hold.js';
import type { Plan } from '../../plan/plan-types.js';
import { applyId, gitCommitOf } from '../../records/index.js';
import { applyStamp } from '../../labels.js';
import { keptImagesOf } from '../../records/image-history.js';
import { StartLog } from '../../records/starts.js';
import { progressReporter } from '../apply-progress.js';
import type { CliContext } from '../context.js';
import { writeOutput } from '../views/stable-output.js';
import { runPlan } from '../run-plan.js';
import { installInterrupt } from '../interrupt.js';
import { interrupted } from '../apply-interrupted.js';
import { undoOnEngines, type UndoResult } from '../interrupt-undo.js';
import { loadInput } from '../load-input.js';
import { otherSourceDeletions } from '../../plan/plan-other-sources.js';
import { otherSourceError, sourceFolders } from '../other-sources.js';
import { orphanWarning } from '../orphan-warning.js';
import { refuseWhatTheEnginesCannotCarry } from '../engine-fields-check.js';
import type { ApplyJob, ApplyOptions } from '../apply-job.js';
import { withProjectLock } from '../project-lock.js';
import type { ProjectLock } from '../../records/project-lock.js';
import { UnderWay, waitingText } from '../under-way.js';
import { resolveProjectName } from '../project-name.js';
import { objectKey, type DesiredObject, type ObjectKey } from '../../../specs/model.js';
import { selectDependencies } from '../../executor/select-plan.js';
import { groupByEngine, spansEngines } from '../../executor/placement.js';
import { withAwaitedJobs, withReadiness, withTimeout } from '../apply-after-run.js';
import { applySources, recordApplyEnd } from '../apply-record.js';
import { summaryText, undoLines } from '../apply-summary.js';
import { START_SETTLE_MS } from '../../lifecycle/start-settle.js';

/**
 * `berth apply`: observe, plan, run the plan along the dependency graph, and wait until
 * every object is as declared. Exit 0 converged, 1 invalid input (nothing touched),
 * 2 failed to converge.
 */
export async function run(ctx: CliContext, options: ApplyOptions): Promise<number> {
  // `-o json` of an apply refused before it ran is a JSON document too (F465): invoke prints it.
  const { code, names } = await applyFiles(ctx, options);
  if (code !== 0 || !options.attach) return code;
  const project = resolveProjectName(options.project, options.filename, ctx.cwd, ctx.env);
  const { attachProject } = await import('../attach.js');
  return attachProject(ctx, await ctx.engine(), project, names, {
    stopOnExit: Boolean(options.stopOnExit),
  });
}

/**
 * apply's work up to its summary: read, check, converge under the lock. Its exit code (as
 * apply's) and the declared containers' names (for `--attach`).
 */
async function applyFiles(
  ctx: CliContext,
  options: ApplyOptions,
): Promise<{ code: number; names: string[] }> {
  const started = ctx.now();
  const timeoutMs = parseDelay(options.timeout);
  const parallel = Number(options.parallel);
  if (timeoutMs === undefined)
    throw new BerthError(
      'E_USAGE',
      `--timeout ${options.timeout} is not a duration (e.g. 90s, 5m)`,
    );
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new BerthError('E_USAGE', `--parallel must be a whole number ≥ 1`);

  const { set } = await loadInput(ctx, options.filename, options);
  await refuseWhatTheEnginesCannotCarry(ctx, set.objects);
  const project = resolveProjectName(options.project, options.filename, ctx.cwd, ctx.env);
  const names = set.objects.filter((o) => o.kind === 'Container').map((o) => o.name);
  if (options.dryRun) return { code: await dryRun(ctx, project, set.objects, options), names };
  const job: ApplyJob = { project, desired: set.objects, options, started, timeoutMs, parallel };
  const code = await withProjectLock(ctx, project, 'apply', options.lockTimeout, (lock) =>
    converge(ctx, job, lock),
  );
  await settleHoldAfterApply(ctx, project);
  return { code, names };
}

/**
 * Converges `job.desired` under the project's lock and records it, as `apply` does with the
 * set it read (`berth rollback` re-applies an earlier set through here). Exit code as apply.
 */
export async function applyJob(ctx: CliContext, job: ApplyJob): Promise<number> {
  // A recorded set may be rolled back onto another engine than the one it was applied to.
  // `berth run`'s container is never created from its declaration here: its one-off (which
  // publishes no port) is checked by run itself.
  const only = job.only;
  const checked = only ? job.desired.filter((o) => objectKey(o) !== only.of) : job.desired;
  await refuseWhatTheEnginesCannotCarry(ctx, checked);
  return withProjectLock(
    ctx,
    job.project,
    job.only ? 'run' : job.message ? 'rollback' : 'apply',
    job.options.lockTimeout,
    (lock) => converge(ctx, job, lock),
  );
}

async function dryRun(
  ctx: CliContext,
  project: string,
  desired: DesiredObject[],
  options: ApplyOptions,
): Promise<number> {
  const { plan, observed } = await planOf(ctx, { project, desired, prune: Boolean(options.prune) });
  ctx.stderr.write(orphanWarning(plan, observed, sourceFolders(options.filename, ctx.cwd)));
  await writeOutput(ctx, options.output, planJson(plan), () => formatPlan(plan));
  return 0;
}

/** How long the engine calls under way at Ctrl-C may take to finish before berth records. */
const INTERRUPT_GRACE_MS = 15_000;
/**
 * How long undoing a half-done update after Ctrl-C may take before berth exits anyway. 10 s:
 * a stop-first undo is three engine calls (remove, rename, start) that put the old container
 * back in service, and on a busy engine (CI with its parallel suites) they took more than 5 s,
 * leaving the service down until the next apply — worse than a few more seconds of waiting.
 */
const UNDO_MS = 10_000;

/**
 * Observe, plan, execute and record, under the project's lock. Returns the exit code.
 * Ctrl-C (SIGTERM, SIGHUP) starts no new step, says at once what it waits for, cancels a build
 * under way, lets the other calls under way end, records the apply as `interrupted` (with the
 * new set as the last applied one) and returns 130 (143, 129). A second one records what was
 * done so far, lets go of `lock` and exits at once (F194).
 */
async function converge(ctx: CliContext, job: ApplyJob, lock?: ProjectLock): Promise<number> {
  const { project, options, started, timeoutMs, parallel } = job;
  const placed = job.desired.some((o) => o.context !== undefined);
  const groups = placed ? groupByEngine(job.desired, homeContext(ctx)) : [];
  const interrupt = installInterrupt((code) => process.exit(code));
  const underWay = new UnderWay();
  void interrupt.signalled.then(() => {
    underWay.markSignalled();
    ctx.stderr.write(waitingText(underWay.current, interrupt.signalledBy));
  });
  // Every start is recorded as berth's, so status tells the engine's restarts from them.
  const starts = new StartLog({ stateDir: ctx.stateDir, project }, ctx.now, ctx.logger);
  // After Ctrl-C, an update left half-done is undone on every engine reached before berth
  // exits (FINDINGS F3), across contexts as on one engine.
  const undo = () => undoOnEngines(interrupt.guarded, project, UNDO_MS);
  let plan: Plan | undefined;
  interrupt.onAbandon(async () => {
    const abandoned = underWay.current.map(({ key }) => ({ key, ops: underWay.opsOf(key) }));
    await interrupted(ctx, interrupt, job, plan, underWay.outcomes, { steps: [] }, { abandoned });
    await lock?.release();
  });
  try {
    if (spansEngines(groups)) {
      const { convergeAcross } = await import('../apply-across.js');
      // At the deadline every gate ends and no step starts on any engine (F128).
      const expiry = setTimeout(
        () => interrupt.stop(timedOut(job, ctx.now())),
        Math.max(0, started + timeoutMs - ctx.now()),
      );
      const across = await convergeAcross(
        ctx,
        {
          project,
          prune: Boolean(options.prune),
          force: Boolean(options.force),
          wait: Boolean(options.wait),
          sources: applySources(ctx, job),
          parallel,
          deadline: started + timeoutMs,
          interrupt,
          starts,
          ...(job.only ? { only: job.only } : {}),
        },
        groups,
      ).finally(() => clearTimeout(expiry));
      if (job.only && across.result.outcomes.length === 0) return 0;
      if (interrupt.interrupted)
        return interrupted(ctx, interrupt, job, across.plan, across.result.outcomes, await undo(), {
          cutShort: underWay.cutShort,
        });
      if (across.homeImages) job.unchangedImages = across.homeImages;
      const undone = interrupt.stoppedBy ? await undo() : undefined;
      return await finish(ctx, job, across.plan, across.result, undone);
    }
    const engine = starts.noting(interrupt.guard(await ctx.engine()));
    const observing = observeAndPlan(
      engine,
      {
        project,
        desired: job.desired,
        prune: Boolean(options.prune),
        keepImageIds: await keptImagesOf(ctx.stateDir, project),
        ...(job.pinnedImages ? { pinnedImages: job.pinnedImages } : {}),
      },
      { recoverUpdates: true },
    );
    // `--timeout` and Ctrl-C bound the reading too: an engine that answers slowly or not at
    // all must not hold the apply past its deadline, nor swallow the first signal (F469).
    const planned = await Promise.race([
      withTimeout(observing, started + timeoutMs - ctx.now()),
      interrupt.signalled.then(() => 'interrupted' as const),
    ]);
    if (planned === 'interrupted') {
      // The plan has not run, and an engine that does not answer would hold the records'
      // image lookups as it held the reading: say so and end.
      const seconds = ((ctx.now() - started) / 1000).toFixed(1);
      ctx.stdout.write(
        `Project ${project}: interrupted after ${seconds}s while reading the engine's state, before the plan ran\n`,
      );
      return interrupt.exitCode;
    }
    if (planned === 'timeout') throw observeTimedOut(job, ctx.now());
    const selected = job.only ? selectDependencies(planned.plan, job.only) : planned.plan;
    plan = selected;
    // A partial apply with nothing to do is no apply: no history entry, no summary.
    if (job.only && !selected.objects.some(needsWork)) return 0;
    if (!plan.objects.some((o) => o.kind === 'Image' && needsWork(o)))
      job.unchangedImages = planned.observed.images;
    const folders = sourceFolders(applySources(ctx, job), ctx.cwd);
    const others = otherSourceDeletions(planned.plan, planned.observed, folders);
    if (others.length > 0 && !options.force) throw otherSourceError(project, others);
    refuseMissingExternals(planned.plan);
    // The part that runs: `berth run`'s dependencies, not the container it stands in for.
    const refusal = conflictRefusal(selected);
    if (refusal) {
      const result = { ok: false, outcomes: refusal.outcomes };
      const durationMs = ctx.now() - started;
      await recordApplyEnd(ctx, job, { plan: selected, result, outcome: 'failed', durationMs });
      throw refusal.error;
    }
    if (!job.only) ctx.stderr.write(orphanWarning(planned.plan, planned.observed, folders));
    const width = Math.max(0, ...plan.objects.map((o) => o.key.length));
    const report = progressReporter(ctx, width);
    // What was repaired before the plan was made is told as plan printed it (F667).
    for (const r of planned.recovered)
      report({ key: r.key as ObjectKey, phase: 'op', op: r.action });
    const deadline = started + timeoutMs;
    // The commit is looked up only when something will be created (a no-op spawns no git).
    if (plan.objects.some(needsWork) && job.commit === undefined)
      job.commit = (await gitCommitOf(applySources(ctx, job)[0] ?? '')) ?? '';
    const run = {
      engine,
      parallel,
      deadline,
      now: ctx.now,
      onProgress: (e: ProgressEvent) => {
        underWay.note(e);
        report(e);
      },
      filesDir: ctx.stateDir,
      stamp: applyStamp(applyId(started), job.commit),
      signal: interrupt.signal,
      // After Ctrl-C (or the deadline) an object whose turn comes later is skipped, not failed
      // on its first refused call: it was never touched (F640).
      stopStarting: interrupt.signal,
      startSettleMs: START_SETTLE_MS,
    };
    const ran = runPlan(plan, ({ execute, takeBackReplicas }) =>
      execute({
        ...run,
        plan: selected,
        desired: job.desired,
        observed: planned.observed,
      }).then(
        // A replica that failed its gate takes back those replaced before it (onFailure: rollback).
        (result) =>
          takeBackReplicas({
            ...run,
            project,
            stateDir: ctx.stateDir,
            desired: job.desired,
            result,
          }),
      ),
    );
    // A job a kept container waits for with `completed` is judged by its exit (F163).
    const judged = ran.then((r) =>
      withAwaitedJobs(engine, selected, job.desired, r, deadline, ctx.now),
    );
    const work = options.wait
      ? judged.then((r) => withReadiness(engine, selected, r, deadline, ctx.now))
      : judged;
    const result = await Promise.race([
      withTimeout(work, deadline - ctx.now()),
      interrupt.signalled.then(() => 'interrupted' as const),
    ]);
    if (result === 'interrupted') {
      // What ran counts; the readiness wait of --wait is simply abandoned.
      const finished = await withTimeout(ran, INTERRUPT_GRACE_MS);
      if (finished !== 'timeout')
        return interrupted(ctx, interrupt, job, plan, finished.outcomes, await undo(), {
          cutShort: underWay.cutShort,
        });
      // Steps still under way after the grace: told as abandoned, not as never begun.
      const left = underWay.current.map(({ key }) => ({ key, ops: underWay.opsOf(key) }));
      return interrupted(ctx, interrupt, job, plan, underWay.outcomes, await undo(), {
        abandoned: left,
        cutShort: underWay.cutShort,
      });
    }
    if (result === 'timeout') {
      // The deadline bounds the apply (F128): the gate under way ends as at Ctrl-C, no step
      // starts, and the update left half-done is undone before berth says so and exits.
      interrupt.stop(timedOut(job, ctx.now()));
      await withTimeout(ran, INTERRUPT_GRACE_MS);
      return await finish(ctx, job, plan, result, await undo());
    }
    return await finish(ctx, job, plan, result);
  } catch (e) {
    if (interrupt.interrupted)
      return interrupted(ctx, interrupt, job, plan, [], await undo(), {
        cutShort: underWay.cutShort,
      });
    throw e;
  } finally {
    await starts.settled();
    interrupt.dispose();
  }
}

/** What the steps cut short by `--timeout` fail with (the gate under way, a step not started). */
function timedOut(job: ApplyJob, now: number): BerthError {
  const seconds = ((now - job.started) / 1000).toFixed(1);
  return new BerthError(
    'E_CONVERGE',
    `apply timed out after ${seconds}s (--timeout ${job.options.timeout})`,
  );
}

/** `--timeout` passed while berth was still reading the engine's state: nothing was changed. */
function observeTimedOut(job: ApplyJob, now: number): BerthError {
  return new BerthError(
    'E_CONVERGE',
    `${timedOut(job, now).message} while reading the engine's state, before the plan ran; check that the engine answers (docker version)`,
  );
}

/**
 * Records and reports an apply that ran to its end (or its timeout); `undone`: what undoing
 * the updates cut short by the timeout did.
 */
async function finish(
  ctx: CliContext,
  job: ApplyJob,
  plan: Plan,
  result: ExecuteResult | 'timeout',
  undone?: UndoResult,
): Promise<number> {
  const { project, options, started } = job;
  const durationMs = ctx.now() - started;
  const converged = result !== 'timeout' && result.ok;
  const outcome = converged ? 'converged' : 'failed';
  const unrecorded = await recordApplyEnd(ctx, job, { plan, result, outcome, durationMs });
  // The engine converged but berth cannot tell later what it made: not a success (F181).
  const ok = converged && !unrecorded;
  const outcomes = result === 'timeout' ? [] : result.outcomes;
  const undoneJson = undone
    ? { undone: undone.steps, ...(undone.error ? { undoError: undone.error } : {}) }
    : {};
  await writeOutput(
    ctx,
    options.output,
    {
      project,
      ok,
      durationMs,
      outcomes,
      ...undoneJson,
      ...(unrecorded ? { recordError: unrecorded.message } : {}),
    },
    () => summaryText(project, plan, result, durationMs) + undoLines(undone),
  );
  // Said here, not thrown: the summary above is the one document -o json prints.
  if (unrecorded) {
    ctx.stderr.write(formatError(unrecorded) + '\n');
    return exitCodeFor(unrecorded.code);
  }
  return ok ? 0 : 2;
}
