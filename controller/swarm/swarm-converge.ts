import { resolve } from 'node:path';
import type { DesiredObject } from '../../specs/model.js';
import type { CliContext } from '../cli/context.js';
import type { SwarmEngine } from '../engine/swarm/swarm-types.js';
import type { BerthError } from '../errors.js';
import { recordApply, type ApplyCounts, type AppliedStep } from '../records/index.js';
import { unrecordedApply } from '../records/record-error.js';
import { executeSwarmPlan, type SwarmStepOutcome } from './swarm-execute.js';
import { planSwarmApply, type SwarmPlan } from './swarm-plan.js';
import type { SwarmServiceStatus } from './swarm-status.js';
import { waitForServices } from './swarm-wait.js';

/** What one convergence of a set on the Swarm did. */
export interface SwarmConverged {
  plan: SwarmPlan;
  outcomes: SwarmStepOutcome[];
  statuses: SwarmServiceStatus[];
  /** Every step ran and every service runs its replicas on the current spec. */
  ok: boolean;
}

/**
 * One convergence (apply, and each reconcile of `watch --backend swarm`): observe, plan,
 * execute, then wait until the services run their replicas on the current spec (or
 * `deadline`). Writes one line per step, per unchanged object and per service to stdout.
 * The caller holds the project's lock.
 */
export async function convergeSwarm(
  ctx: CliContext,
  engine: SwarmEngine,
  project: string,
  objects: readonly DesiredObject[],
  prune: boolean,
  deadline: number,
): Promise<SwarmConverged> {
  const observed = await engine.observe(project);
  const plan = planSwarmApply(objects, observed, project, prune);
  const outcomes = await executeSwarmPlan(engine, plan, observed, reportStep(ctx));
  for (const key of plan.unchanged) ctx.stdout.write(`${key}: unchanged\n`);
  const statuses = await waitForServices(engine, project, plan.services, deadline, ctx.now);
  for (const s of statuses) {
    const line = `${s.key}: ${s.runningReplicas}/${s.desiredReplicas} replicas running`;
    ctx.stdout.write(s.ready ? `${line}\n` : `${line}; failed: ${s.reason ?? 'not ready'}\n`);
  }
  const ok = outcomes.every((o) => o.ok) && statuses.every((s) => s.ready);
  return { plan, outcomes, statuses, ok };
}

/** One stdout line per step: `Container/web: updated service (replicas 2 → 3)`. */
export function reportStep(ctx: CliContext): (outcome: SwarmStepOutcome) => void {
  return ({ step, ok, message }) => {
    const what =
      step.op === 'remove' ? `removed ${step.kind} ${step.name}` : step.op.replace('-', 'd ');
    ctx.stdout.write(
      ok ? `${step.key}: ${what} (${step.cause})\n` : `${step.key}: failed: ${message ?? ''}\n`,
    );
  };
}

/**
 * Writes one convergence to the project's history (`berth history` shows it; DESIGN.md
 * "Records"). The set itself is not kept: `rollback` and the last-applied set are the Docker
 * backend's, and must never re-apply Swarm services as containers. The message names the
 * manager. Resolves with the E_RECORD error naming the state folder when the history cannot
 * be written (F251: it was only logged, and apply said it converged), else undefined.
 */
export async function recordSwarm(
  ctx: CliContext,
  project: string,
  files: readonly string[],
  manager: string,
  started: number,
  run: SwarmConverged,
): Promise<BerthError | undefined> {
  const end = ctx.now();
  const failedKeys = new Set([
    ...run.outcomes.filter((o) => !o.ok).map((o) => o.step.key),
    ...run.statuses.filter((s) => !s.ready).map((s) => s.key),
  ]);
  const counts: ApplyCounts = { created: 0, changed: 0, deleted: 0, unchanged: 0, failed: 0 };
  const steps: AppliedStep[] = run.outcomes.map(({ step, ok }) => {
    if (ok && step.op === 'remove') counts.deleted++;
    else if (ok && step.op === 'update-service') counts.changed++;
    else if (ok) counts.created++;
    return {
      key: step.key as AppliedStep['key'],
      action: step.op,
      cause: step.cause,
      time: end,
      ...(ok ? {} : { failed: true, code: 'E_ENGINE' }),
    };
  });
  counts.unchanged = run.plan.unchanged.filter((k) => !failedKeys.has(k)).length;
  counts.failed = failedKeys.size;
  const reasons = run.statuses.filter((s) => !s.ready).map((s) => `${s.key}: ${s.reason ?? ''}`);
  try {
    await recordApply(ctx.stateDir, project, {
      time: started,
      sources: files.filter((f) => f !== '-').map((f) => resolve(ctx.cwd, f)),
      outcome: run.ok ? 'converged' : 'failed',
      counts,
      durationMs: end - started,
      message: [`--backend swarm at ${manager}`, ...reasons].join('; '),
      steps,
    });
  } catch (e) {
    return unrecordedApply(ctx.stateDir, project, e);
  }
  return undefined;
}
