import { createActor, fromPromise, toPromise } from 'xstate';
import type { ContainerObject, DesiredObject } from '../../specs/model.js';
import type { Engine, ObservedState } from '../engine/engine.js';
import { runContainer } from '../lifecycle/run-container.js';
import { stepsMachine } from '../lifecycle/steps.machine.js';
import { findImage } from '../plan/image-ref.js';
import { containerSituation, goneNetwork, replaceCause } from '../plan/plan-container.js';
import type { indexOwned } from '../plan/plan.js';
import type { ObjectPlan, PlanStep } from '../plan/plan-types.js';
import { containerCreateRequest } from './container-request.js';
import { replaceContainer } from '../update/replace.js';
import { updatePolicy, updatesInPlace } from '../update/update-policy.js';
import { defaultFilesDir, writeFileMounts } from './file-mounts.js';
import { runResourceStep, type StepContext } from './resource-steps.js';

export interface RunContext {
  engine: Engine;
  project: string;
  desired: readonly DesiredObject[];
  observed: ObservedState;
  /** The project's owned objects by key, indexed once per run. */
  owned: ReturnType<typeof indexOwned>;
  /** berth's state directory: secret and config files are written under it. */
  filesDir?: string;
  /** Images that an image step of this run built or pulled (their ids changed, or may have). */
  refreshedImages: Set<string>;
  onOp?: (op: string, target?: string) => void;
}

export interface RunOutcome {
  outcome: 'converged' | 'held' | 'failed';
  ops: string[];
  reason?: string;
  error?: unknown;
}

/** Brings one object to its declaration: containers through their machine, the rest through their steps. */
export async function runObject(p: ObjectPlan, ctx: RunContext): Promise<RunOutcome> {
  const declared = ctx.desired.find((o) => o.kind === p.kind && o.name === p.name);
  if (declared?.kind === 'Container' && p.desired !== 'absent')
    return runDeclaredContainer(declared, p, ctx);
  if (p.steps.length === 0)
    return { outcome: 'failed', ops: [], reason: p.reason ?? 'out of sync' };
  return runSteps(p.steps, p.engineId, ctx);
}

async function runSteps(
  steps: PlanStep[],
  engineId: string | undefined,
  ctx: RunContext,
): Promise<RunOutcome> {
  const stepCtx: StepContext = { engine: ctx.engine, project: ctx.project, desired: ctx.desired };
  const machine = stepsMachine.provide({
    actors: {
      runStep: fromPromise<void, { step: PlanStep }>(async ({ input }) => {
        ctx.onOp?.(input.step.action, input.step.target);
        await runResourceStep(input.step, stepCtx, engineId);
      }),
    },
  });
  const actor = createActor(machine, { input: { steps } });
  actor.subscribe({ error: () => undefined });
  actor.start();
  const out = await toPromise(actor);
  return { outcome: out.outcome, ops: out.done.map((s) => s.action), error: out.error };
}

/**
 * Re-derives the container's situation at run time: an image step earlier in this run may
 * have changed the id the container should run, which the plan could not know.
 */
async function runDeclaredContainer(
  container: ContainerObject,
  p: ObjectPlan,
  ctx: RunContext,
): Promise<RunOutcome> {
  const observed = ctx.owned.get(p.key) as ObservedState['containers'][number] | undefined;
  const ref = container.spec.image.ref;
  const imageId = ctx.refreshedImages.has(ref)
    ? (await ctx.engine.inspectImage(ref))?.id
    : findImage(ctx.observed.images, ref)?.id;
  const planCtx = {
    project: ctx.project,
    desired: ctx.desired,
    observed,
    desiredImageId: imageId,
    networkGone: observed && goneNetwork(container, observed, ctx.project, ctx.owned),
  };
  const situation = containerSituation(container, planCtx);
  const filesDir = ctx.filesDir ?? defaultFilesDir();
  const request = containerCreateRequest(container, ctx.project, ctx.desired, filesDir);
  await writeFileMounts(filesDir, ctx.project, container, ctx.desired);
  const cause = replaceCause(container, planCtx);
  if (observed && updatesInPlace(container.spec, situation.observed, cause, planCtx.networkGone))
    return runUpdate(container, observed.id, request, ctx);
  const out = await runContainer(
    {
      engine: ctx.engine,
      request,
      project: ctx.project,
      name: container.name,
      onOp: (op) => ctx.onOp?.(op),
    },
    { key: p.key, containerId: observed?.id, situation },
  );
  const ops: string[] = [...out.ops];
  const replaced = replaceCause(container, planCtx) !== undefined || out.ops.includes('create');
  const connects = replaced ? [] : p.steps.filter((s) => s.action === 'connect');
  if (out.outcome === 'converged' && connects.length) {
    const rest = await runSteps(connects, observed?.id, ctx);
    return { ...rest, ops: [...ops, ...rest.ops] };
  }
  return { outcome: out.outcome, ops, reason: out.reason, error: out.error };
}

/** A running container replaced through the update path (start-first or stop-first, gated). */
async function runUpdate(
  container: ContainerObject,
  oldId: string,
  request: ReturnType<typeof containerCreateRequest>,
  ctx: RunContext,
): Promise<RunOutcome> {
  const ops: string[] = [];
  try {
    const result = await replaceContainer({
      engine: ctx.engine,
      project: ctx.project,
      oldId,
      request,
      policy: updatePolicy(container.spec),
      onOp: (op) => {
        ops.push(op);
        ctx.onOp?.(op);
      },
    });
    if (result.outcome === 'replaced') return { outcome: 'converged', ops };
    const what =
      result.outcome === 'paused'
        ? 'update paused (onFailure: pause): both containers are left for inspection'
        : 'update rolled back: the old container keeps running';
    return { outcome: 'failed', ops, reason: `${what}; ${result.reason}` };
  } catch (error) {
    return { outcome: 'failed', ops, error };
  }
}
