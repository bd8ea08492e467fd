import { parseDuration } from '../../../specs/validate/values.js';
import { execute, needsWork, type ExecuteResult } from '../../apply/execute.js';
import { BerthError } from '../../errors.js';
import { observeAndPlan } from '../../observe.js';
import { formatPlan, planJson, planSummary } from '../../plan/plan-format.js';
import type { Plan } from '../../plan/plan-types.js';
import { recordApply } from '../../records/index.js';
import { progressReporter } from '../apply-progress.js';
import type { CliContext } from '../context.js';
import { loadInput } from '../load-input.js';
import { withProjectLock } from '../project-lock.js';
import { resolveProjectName } from '../project-name.js';
import type { DesiredObject } from '../../../specs/model.js';
import { resolve } from 'node:path';

interface ApplyOptions {
  filename: string[];
  prune?: boolean;
  timeout: string;
  parallel: string;
  dryRun?: boolean;
  attach?: boolean;
  stopOnExit?: boolean;
  output?: 'text' | 'json';
  project?: string;
  lockTimeout?: string;
}

/** One apply's input, checked: the set, its project and the limits from the flags. */
interface ApplyJob {
  project: string;
  desired: DesiredObject[];
  options: ApplyOptions;
  /** Unix ms. */
  started: number;
  timeoutMs: number;
  parallel: number;
}

/**
 * `berth apply`: observe, plan, run the plan along the dependency graph, and wait until
 * every object is as declared. Exit 0 converged, 1 invalid input (nothing touched),
 * 2 failed to converge.
 */
export async function run(ctx: CliContext, options: ApplyOptions): Promise<number> {
  const started = ctx.now();
  const timeoutMs = parseDuration(options.timeout);
  const parallel = Number(options.parallel);
  if (timeoutMs === undefined)
    throw new BerthError(
      'E_USAGE',
      `--timeout ${options.timeout} is not a duration (e.g. 90s, 5m)`,
    );
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new BerthError('E_USAGE', `--parallel must be a whole number ≥ 1`);

  const { set } = await loadInput(ctx, options.filename);
  const project = resolveProjectName(options.project, options.filename, ctx.cwd);
  if (options.dryRun) return dryRun(ctx, project, set.objects, options);
  const job: ApplyJob = { project, desired: set.objects, options, started, timeoutMs, parallel };
  const applied = await withProjectLock(ctx, project, 'apply', options.lockTimeout, () =>
    converge(ctx, job),
  );
  if (applied !== 0 || !options.attach) return applied;
  const { attachProject } = await import('../attach.js');
  const names = set.objects.filter((o) => o.kind === 'Container').map((o) => o.name);
  return attachProject(ctx, await ctx.engine(), project, names, {
    stopOnExit: Boolean(options.stopOnExit),
  });
}

async function dryRun(
  ctx: CliContext,
  project: string,
  desired: DesiredObject[],
  options: ApplyOptions,
): Promise<number> {
  const engine = await ctx.engine();
  const { plan } = await observeAndPlan(engine, {
    project,
    desired,
    prune: Boolean(options.prune),
  });
  ctx.stdout.write(
    options.output === 'json' ? JSON.stringify(planJson(plan), null, 2) + '\n' : formatPlan(plan),
  );
  return 0;
}

/** Observe, plan, execute and record, under the project's lock. Returns the exit code. */
async function converge(ctx: CliContext, job: ApplyJob): Promise<number> {
  const { project, options, started, timeoutMs, parallel } = job;
  const set = { objects: job.desired };
  const engine = await ctx.engine();
  const { plan, observed } = await observeAndPlan(engine, {
    project,
    desired: set.objects,
    prune: Boolean(options.prune),
  });

  const width = Math.max(0, ...plan.objects.map((o) => o.key.length));
  const deadline = started + timeoutMs;
  const result = await withTimeout(
    execute({
      engine,
      plan,
      desired: set.objects,
      observed,
      parallel,
      deadline,
      now: ctx.now,
      onProgress: progressReporter(ctx, width),
    }),
    deadline - ctx.now(),
  );
  const durationMs = ctx.now() - started;
  const ok = result !== 'timeout' && result.ok;
  await record(ctx, project, options.filename, plan, result, set.objects, durationMs, started);

  if (options.output === 'json') {
    ctx.stdout.write(
      JSON.stringify(
        { project, ok, durationMs, outcomes: result === 'timeout' ? [] : result.outcomes },
        null,
        2,
      ) + '\n',
    );
  } else {
    ctx.stdout.write(summaryText(project, plan, result, durationMs));
  }
  return ok ? 0 : 2;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
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

function summaryText(
  project: string,
  plan: Plan,
  result: ExecuteResult | 'timeout',
  durationMs: number,
): string {
  const seconds = (durationMs / 1000).toFixed(1);
  if (result === 'timeout') {
    return `Project ${project}: timed out after ${seconds}s before converging; run berth status to see what is left\n`;
  }
  const lines: string[] = [];
  for (const o of result.outcomes) {
    if (o.outcome === 'converged') continue;
    lines.push(`${o.key}: ${o.outcome}${o.message ? `: ${o.message}` : ''}`);
  }
  if (result.outcomes.length === 0) {
    lines.push(
      `Project ${project}: unchanged; the engine already matches the manifests (${seconds}s)`,
    );
  } else {
    const c = planSummary(plan);
    const state = result.ok ? 'converged' : 'failed to converge';
    lines.push(
      `Project ${project}: ${state} (${c.create} created, ${c.change} changed, ${c.delete} deleted) in ${seconds}s`,
    );
    if (!result.ok)
      lines.push(
        'hint: fix the cause above and apply again; berth status shows every object and why',
      );
  }
  return lines.join('\n') + '\n';
}

async function record(
  ctx: CliContext,
  project: string,
  sources: string[],
  plan: Plan,
  result: ExecuteResult | 'timeout',
  objects: Parameters<typeof recordApply>[2]['objects'],
  durationMs: number,
  time: number,
): Promise<void> {
  const outcomes = result === 'timeout' ? [] : result.outcomes;
  const failed =
    result === 'timeout'
      ? plan.objects.filter(needsWork).length
      : outcomes.filter((o) => o.outcome === 'failed' || o.outcome === 'skipped').length;
  const c = planSummary(plan);
  try {
    await recordApply(ctx.stateDir, project, {
      time,
      sources: sources.filter((s) => s !== '-').map((s) => resolve(ctx.cwd, s)),
      outcome: result !== 'timeout' && result.ok ? 'converged' : 'failed',
      counts: {
        created: c.create,
        changed: c.change,
        deleted: c.delete,
        unchanged: plan.objects.length - outcomes.length,
        failed,
      },
      durationMs,
      steps: plan.objects.flatMap((o) =>
        o.steps.map((s) => ({
          key: s.key,
          action: s.action,
          cause: s.cause,
          time: time + durationMs,
        })),
      ),
      objects,
    });
  } catch (e) {
    ctx.logger.warn({ err: (e as Error).message }, 'could not record the apply');
  }
}
