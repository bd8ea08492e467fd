import { createActor, fromPromise, toPromise } from 'xstate';
import type { ContainerObject, DesiredObject } from '../../specs/model.js';
import type { Engine, ObservedContainer, ObservedState } from '../engine/engine.js';
import type { ContainerSituation } from '../lifecycle/container-decision.js';
import { runContainer } from '../lifecycle/run-container.js';
import { stepsMachine } from '../lifecycle/steps.machine.js';
import type { indexOwned } from '../plan/plan.js';
import type { ContainerPlanEntry, ObjectPlan, PlanStep } from '../plan/plan-types.js';
import { failedUpdateText } from '../update/failed-update-text.js';
import { replaceContainer } from '../update/replace.js';
import { gateMs, socketBindsOf, updatePolicy, updatesInPlace } from '../update/update-policy.js';
import { containerCreateRequest } from '../plan/container-request.js';
import { defaultFilesDir } from '../plan/file-mount-paths.js';
import { writeFileMounts } from './file-mounts.js';
import { lastLogExcerpt } from '../update/gate-evidence.js';
import { mountedBy, releaseFileMounts } from './file-release.js';
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
  /** Labels put on every container this run creates (applyStamp); never part of the spec hash. */
  stamp?: Record<string, string>;
  onOp?: (op: string, target?: string) => void;
  /** An update's health gate began; it must pass by `deadline` (Unix ms): the page's countdown. */
  onGate?: (deadline: number) => void;
  /** Ctrl-C: an update's health gate under way ends at once, a build under way is cancelled. */
  signal?: AbortSignal;
  /** After a start, how long the run must stay up before it counts as started (F341). */
  startSettleMs?: number;
  /** Gives the parallel slot back while what is left only waits (a start held, F341). */
  leaveSlot?: () => void;
}

export interface RunOutcome {
  outcome: 'converged' | 'held' | 'failed';
  ops: string[];
  reason?: string;
  error?: unknown;
  /** Restarts berth made (after an exit, after `unhealthy`): counted and backed off by watch. */
  restarts?: number;
  /** A restart waits for its back-off: look again after this many ms. */
  retryAfterMs?: number;
  /** An update's gate failed: the new container was removed (rolled-back) or both kept (paused). */
  failedUpdate?: 'rolled-back' | 'paused';
  /**
   * The step a failed update failed at, as history and status name it: `start` (the engine
   * refused to start the new container, F343), `gate` (the new container did not pass its
   * gate), `update` (an engine call of the update failed: its error names it). F278: the next
   * planned step was named instead, `stop failed`.
   */
  failedStep?: 'start' | 'gate' | 'update';
}

/** Brings one object to its declaration: containers through their machine, the rest through their steps. */
export async function runObject(p: ObjectPlan, ctx: RunContext): Promise<RunOutcome> {
  const declared = ctx.desired.find((o) => o.kind === p.kind && o.name === p.name);
  if (declared?.kind === 'Container' && p.container && p.desired !== 'absent')
    return runPlannedContainer(p, p.container, declared, ctx);
  if (p.steps.length === 0)
    return { outcome: 'failed', ops: [], reason: p.reason ?? 'out of sync' };
  return runSteps(p.steps, p.engineId, ctx);
}

async function runSteps(
  steps: PlanStep[],
  engineId: string | undefined,
  ctx: RunContext,
): Promise<RunOutcome> {
  const stepCtx: StepContext = {
    engine: ctx.engine,
    project: ctx.project,
    desired: ctx.desired,
    observed: ctx.observed,
    ...(ctx.filesDir ? { filesDir: ctx.filesDir } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
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
 * Runs a declared container's plan entry as the planner decided it. The one thing the plan
 * could not know: the id of an image pulled or built earlier in this run, which may mean the
 * container must be replaced after all.
 */
async function runPlannedContainer(
  p: ObjectPlan,
  entry: ContainerPlanEntry,
  container: ContainerObject,
  ctx: RunContext,
): Promise<RunOutcome> {
  const { observed, ops: renameOps } = entry.rename
    ? await renamed(p, entry.rename, ctx)
    : { observed: ctx.owned.get(p.key) as ObservedContainer | undefined, ops: [] };
  const situation = await withImageFromRun(entry, container.spec.image.ref, observed, ctx);
  // Files of file mounts live under this run's state folder: written before any create.
  const filesDir = ctx.filesDir ?? defaultFilesDir();
  const planned = containerCreateRequest(container, ctx.project, ctx.desired, filesDir);
  const request = ctx.stamp ? { ...planned, labels: { ...planned.labels, ...ctx.stamp } } : planned;
  const mounted = new Set(observed?.mountSources ?? []);
  await writeFileMounts(filesDir, ctx.project, container, ctx.desired, mounted);
  // A replacement found only now (an image this run pulled) may take the update path too.
  const foundNow = situation.replace && !entry.situation.replace;
  const update =
    (entry.update === true && situation.replace) ||
    (foundNow && updatesInPlace(container.spec, situation.observed, 'image id changed', undefined));
  if (observed && update) {
    const out = await runUpdate(container, observed.id, request, ctx);
    if (out.outcome === 'converged') await releaseReplaced(observed, request, filesDir, ctx);
    return { ...out, ops: [...renameOps, ...out.ops] };
  }
  const settingsOps = await setSettingsBack(p, entry, observed, situation, ctx);
  const out = await runContainer(
    {
      engine: ctx.engine,
      request,
      project: ctx.project,
      name: p.name,
      onOp: (op) => ctx.onOp?.(op),
      ...(ctx.leaveSlot ? { leaveSlot: ctx.leaveSlot } : {}),
    },
    {
      key: p.key,
      containerId: observed?.id,
      situation,
      ...(ctx.startSettleMs ? { startSettleMs: ctx.startSettleMs } : {}),
    },
  );
  if (observed && out.ops.includes('remove'))
    await releaseReplaced(observed, request, filesDir, ctx);
  const ops: string[] = [...renameOps, ...settingsOps, ...out.ops];
  const held = out.outcome === 'held' && !out.retryAfterMs;
  const said = held
    ? await withLastLog(out.reason, out.containerId ?? observed?.id, ctx)
    : out.reason;
  const facts = {
    reason: out.restarts?.length ? `restarted: ${out.restarts.join(', ')}` : said,
    error: out.error,
    ...(out.restarts?.length ? { restarts: out.restarts.length } : {}),
    ...(out.retryAfterMs ? { retryAfterMs: out.retryAfterMs } : {}),
  };
  const connects = situation.replace || out.ops.includes('create') ? [] : driftConnects(p);
  if (out.outcome === 'converged' && connects.length) {
    const rest = await runSteps(connects, observed?.id, ctx);
    return { ...facts, ...rest, ops: [...ops, ...rest.ops] };
  }
  return { outcome: out.outcome, ops, ...facts };
}

/**
 * A container held exited (restartPolicy Never after a failure, OnFailure at its
 * restartMaxRetries: the only holds, both of an exited container the machine just looked at)
 * says why in its own words: `…; restartPolicy Never keeps it exited (last log: …)` (F624:
 * apply's line, and the dependants it fails, gave only the exit code). One log read, on this
 * path only (F744: no inspect as well).
 */
async function withLastLog(
  reason: string | undefined,
  id: string | undefined,
  ctx: RunContext,
): Promise<string | undefined> {
  if (!reason || !id) return reason;
  const excerpt = await lastLogExcerpt(ctx.engine, id);
  return excerpt ? `${reason} (last log: ${excerpt})` : reason;
}

/**
 * The plan's `update` step: settings changed outside berth (`docker update`) set back in place
 * before the container's other steps, so a restart policy is right before a start (F272).
 * Not when a replace was found only now (the new container is made with the declared ones).
 */
async function setSettingsBack(
  p: ObjectPlan,
  entry: ContainerPlanEntry,
  observed: ObservedContainer | undefined,
  situation: ContainerSituation,
  ctx: RunContext,
): Promise<string[]> {
  const planned = p.steps.some((s) => s.action === 'update');
  if (!planned || !entry.settings || !observed || situation.replace) return [];
  ctx.onOp?.('update');
  await ctx.engine.updateContainer(observed.id, entry.settings);
  return ['update'];
}

/**
 * The files of a container replaced by a new one go with it (F123), but for those the new
 * one or another container mounts: a recreate keeps its folder, a replica recreated under
 * another name (scaled, renamed in place before) leaves none behind.
 */
async function releaseReplaced(
  old: ObservedContainer,
  request: ContainerPlanEntry['request'],
  filesDir: string,
  ctx: RunContext,
): Promise<void> {
  const kept = mountedBy(ctx.observed.containers.filter((c) => c.id !== old.id));
  for (const m of request.mounts) if (m.type === 'bind') kept.add(m.source);
  await releaseFileMounts(filesDir, ctx.project, old, kept);
}

/**
 * Replica 1 renamed in place as planned (a scale change, F26): each of its networks connected
 * again with the aliases of its new identity, then the rename; same id, never stopped; the
 * rest of the entry was planned for the container under its new name. A rename to the name it
 * already has (a retried run) changes nothing: the aliases went first.
 */
async function renamed(
  p: ObjectPlan,
  rename: NonNullable<ContainerPlanEntry['rename']>,
  ctx: RunContext,
): Promise<{ observed: ObservedContainer | undefined; ops: string[] }> {
  const container = ctx.observed.containers.find((c) => c.id === rename.id);
  if (container?.name === rename.to) return { observed: container, ops: [] };
  const moved = await runSteps(renameReconnects(p, rename), rename.id, ctx);
  if (moved.outcome === 'failed') throw moved.error;
  ctx.onOp?.('rename', rename.to);
  await ctx.engine.renameContainer(rename.id, rename.to);
  const ops = [...moved.ops, 'rename'];
  return { observed: container && { ...container, name: rename.to }, ops };
}

/** The rename's own steps: its networks disconnected and connected again, in plan order. */
function renameReconnects(
  p: ObjectPlan,
  rename: NonNullable<ContainerPlanEntry['rename']>,
): PlanStep[] {
  return p.steps.filter(
    (s) =>
      (s.action === 'disconnect' || s.action === 'connect') &&
      rename.networks.includes(s.target ?? ''),
  );
}

/**
 * Attachments repaired after the container ran: networks it is not attached to (recreated
 * behind its back) connected, the project's networks it does not declare disconnected.
 */
function driftConnects(p: ObjectPlan): PlanStep[] {
  const renamed = p.container?.rename?.networks ?? [];
  return p.steps.filter(
    (s) =>
      (s.action === 'connect' || s.action === 'disconnect') && !renamed.includes(s.target ?? ''),
  );
}

/**
 * The entry's situation once the image step of this run ran: a container whose image was
 * pulled or built is replaced when the image id differs from the one it runs, and one the
 * plan replaces only for that step (`replaceIf: 'image-differs'`) is left as it is when the
 * id is the same (F267: a rebuild after a tag was removed by hand gives back the same image).
 */
async function withImageFromRun(
  entry: ContainerPlanEntry,
  ref: string,
  observed: ObservedContainer | undefined,
  ctx: RunContext,
): Promise<ContainerSituation> {
  const s = entry.situation;
  if (!observed || !entry.imageFromRun || !ctx.refreshedImages.has(ref)) return s;
  if (s.replace && entry.replaceIf !== 'image-differs') return s;
  const imageId = (await ctx.engine.inspectImage(ref))?.id;
  return imageId ? { ...s, replace: imageId !== observed.imageId } : s;
}

/** A running container replaced through the update path (start-first or stop-first, gated). */
async function runUpdate(
  container: ContainerObject,
  oldId: string,
  request: ContainerPlanEntry['request'],
  ctx: RunContext,
): Promise<RunOutcome> {
  const ops: string[] = [];
  const policy = updatePolicy(container.spec, socketBindsOf(ctx.desired));
  try {
    const result = await replaceContainer({
      engine: ctx.engine,
      project: ctx.project,
      oldId,
      request,
      policy,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onOp: (op) => {
        ops.push(op);
        if (op === 'gate') ctx.onGate?.(Date.now() + gateMs(policy.gate));
        else ctx.onOp?.(op);
      },
    });
    if (result.outcome === 'replaced') return { outcome: 'converged', ops };
    return {
      outcome: 'failed',
      ops,
      reason: `${failedUpdateText(result, policy.order)}; ${result.reason}`,
      failedUpdate: result.outcome,
      failedStep: result.failedAt,
    };
  } catch (error) {
    return { outcome: 'failed', ops, error, failedStep: 'update' };
  }
}
