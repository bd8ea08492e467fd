import type { DesiredObject } from '../../specs/model.js';
import { parseDelay } from '../../specs/validate/values.js';
import type { CliContext } from '../cli/context.js';
import { engineAddress } from '../cli/engine-flags.js';
import { loadInput } from '../cli/load-input.js';
import type { PolicyFlags } from '../cli/policy-flags.js';
import { withProjectLock } from '../cli/project-lock.js';
import { resolveProjectName } from '../cli/project-name.js';
import { BerthError } from '../errors.js';
import { formatLoss } from '../export/k8s-loss.js';
import { createSwarmEngine } from '../engine/swarm/swarm-engine.js';
import type { SwarmEngine } from '../engine/swarm/swarm-types.js';
import { convergeSwarm, recordSwarm, reportStep } from './swarm-converge.js';
import { executeSwarmPlan } from './swarm-execute.js';
import { swarmLosses } from './swarm-losses.js';
import { assertSwarmNames } from './swarm-names.js';
import { formatSwarmPlan, planSwarmApply, planSwarmDelete, type SwarmPlan } from './swarm-plan.js';

/** The flags of apply/delete/down that `--backend swarm` reads. */
export interface SwarmApplyOptions extends PolicyFlags {
  filename?: string[];
  project?: string;
  prune?: boolean;
  timeout?: string;
  dryRun?: boolean;
  lockTimeout?: string;
}

/** The Swarm manager of `--engine`/`--context`/DOCKER_HOST/the current context. */
export function connectSwarm(ctx: CliContext): Promise<SwarmEngine> {
  return createSwarmEngine(
    engineAddress({ engine: ctx.engineFlag, context: ctx.contextFlag }, ctx.env),
  );
}

/**
 * `berth apply --backend swarm`: the set as Swarm services, overlay networks, secrets and
 * configs on the manager, then wait until every service runs its replicas on the current
 * spec. What the Swarm cannot carry is named on stderr (`file:line:col: …`) and applied
 * without. Exit 0 converged, 1 invalid input, 2 failed (a step, a rolled-back update, the
 * timeout).
 */
export async function applySwarm(ctx: CliContext, options: SwarmApplyOptions): Promise<number> {
  const timeoutMs = parseDelay(options.timeout ?? '5m');
  if (timeoutMs === undefined)
    throw new BerthError(
      'E_USAGE',
      `--timeout ${options.timeout} is not a duration (e.g. 90s, 5m)`,
    );
  const files = options.filename ?? ['.'];
  const { set } = await loadInput(ctx, files, options, true);
  const project = resolveProjectName(options.project, files, ctx.cwd, ctx.env);
  for (const loss of swarmLosses(set.objects)) ctx.stderr.write(formatLoss(loss) + '\n');
  assertSwarmNames(set.objects, project);
  const engine = await connectSwarm(ctx);
  const deadline = ctx.now() + timeoutMs;
  if (options.dryRun) {
    const plan = planSwarmApply(
      set.objects,
      await engine.observe(project),
      project,
      Boolean(options.prune),
    );
    ctx.stdout.write(planText(plan));
    return 0;
  }
  return withProjectLock(ctx, project, 'apply', options.lockTimeout, async () => {
    const started = ctx.now();
    const run = await convergeSwarm(
      ctx,
      engine,
      project,
      set.objects,
      Boolean(options.prune),
      deadline,
    );
    // The services run but berth cannot tell later what it made: not a success (F251).
    const unrecorded = await recordSwarm(ctx, project, files, engine.address, started, run);
    if (unrecorded) throw unrecorded;
    return run.ok ? 0 : 2;
  });
}

/**
 * `berth delete -f PATH --backend swarm` (the declared objects) and `berth down --backend
 * swarm` (`desired` undefined: every object of the project): services, then every version
 * of secrets and configs, then networks. Only objects with berth's labels of this project.
 * Volumes the nodes made for the services stay (their data), as `down` keeps volumes.
 */
export async function deleteSwarm(
  ctx: CliContext,
  options: SwarmApplyOptions,
  everything: boolean,
): Promise<number> {
  const files = options.filename ?? ['.'];
  const desired: DesiredObject[] | undefined = everything
    ? undefined
    : (await loadInput(ctx, files, options, true)).set.objects;
  const project = resolveProjectName(options.project, everything ? [] : files, ctx.cwd, ctx.env);
  const engine = await connectSwarm(ctx);
  return withProjectLock(ctx, project, 'delete', options.lockTimeout, async () => {
    const observed = await engine.observe(project);
    const plan = planSwarmDelete(desired, observed, project);
    const outcomes = await executeSwarmPlan(engine, plan, observed, reportStep(ctx));
    if (plan.steps.length === 0) ctx.stdout.write(`nothing of project ${project} on the Swarm\n`);
    const removed = new Set(plan.steps.map((s) => (s.op === 'remove' ? s.id : '')));
    const left = await waitUntilGone(engine, project, removed, ctx.now() + GONE_PATIENCE_MS);
    if (left.length)
      ctx.stdout.write(`still listed after ${GONE_PATIENCE_MS / 1000} s: ${left.join(', ')}\n`);
    return outcomes.every((o) => o.ok) && left.length === 0 ? 0 : 2;
  });
}

/** How long delete waits for the manager to stop listing what it removed. */
const GONE_PATIENCE_MS = 20_000;

/**
 * The manager removes networks (and a service's tasks) after answering: wait until none of
 * `ids` is listed any more, so delete returns when nothing is left. Names what still is.
 */
async function waitUntilGone(
  engine: SwarmEngine,
  project: string,
  ids: ReadonlySet<string>,
  deadline: number,
): Promise<string[]> {
  for (;;) {
    const o = await engine.observe(project);
    const left = [...o.services, ...o.networks, ...o.secrets, ...o.configs]
      .filter((x) => ids.has(x.id))
      .map((x) => x.name);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((r) => setTimeout(r, 250));
  }
}

function planText(plan: SwarmPlan): string {
  const lines = formatSwarmPlan(plan);
  for (const key of plan.unchanged) lines.push(`  ${key}  unchanged`);
  return lines.length ? lines.join('\n') + '\n' : 'nothing to do\n';
}
