import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import { execute, needsWork, type ExecuteResult, type ObjectOutcome } from '../executor/execute.js';
import { keyOn, type EngineGroup } from '../executor/placement.js';
import { waitForReadiness } from '../executor/wait-ready.js';
import { waitForAwaitedJobs } from '../executor/wait-completed.js';
import type { Engine, ObservedImage, ObservedState } from '../engine/engine.js';
import { engineOfContext } from '../engine/docker/context-engine.js';
import { toBerthError } from '../errors.js';
import { observeProject, observeRequest, planProject } from '../observe.js';
import { sameEngineClusters } from '../executor/same-engine.js';
import { selectDependencies, type DependenciesOf } from '../executor/select-plan.js';
import { otherSourceDeletions } from '../plan/plan-other-sources.js';
import type { ObjectPlan, Plan } from '../plan/plan-types.js';
import { refuseMissingExternals } from '../plan/plan-unmanaged.js';
import { progressReporter } from './apply-progress.js';
import type { CliContext } from './context.js';
import type { Interrupt } from './interrupt.js';
import type { StartLog } from '../records/starts.js';
import { otherSourceError, sourceFolders } from './other-sources.js';
import { refuseConflicts } from './conflict-refusal.js';
import { START_SETTLE_MS } from '../lifecycle/start-settle.js';

/** What `apply` passes for a set that spans engines (a subset of its job). */
export interface AcrossJob {
  project: string;
  prune: boolean;
  force: boolean;
  wait: boolean;
  /**
   * The paths the set was read from (apply's `-f`, a rollback's recorded sources): a deletion
   * of what another folder applied is refused unless `force`.
   */
  sources: string[];
  parallel: number;
  deadline: number;
  /**
   * Ctrl-C (apply's): every engine is reached through its refusal, an update's gate ends at
   * once, and no readiness wait starts; apply then undoes what is half-done on each engine.
   */
  interrupt?: Interrupt;
  /** Where the starts made on every engine are recorded as berth's (records/starts.ts). */
  starts?: StartLog;
  /** A partial apply: the dependencies of one container only (`berth run`, F269). */
  only?: DependenciesOf;
}

/** One engine's part: its plan, or why the engine could not be planned against. */
export interface GroupPlan {
  group: EngineGroup;
  engine?: Engine;
  plan?: Plan;
  observed?: ObservedState;
  /** The engine could not be reached or observed: every object of the group fails with it. */
  failure?: string;
}

/**
 * Apply for a set spanning engines (`spec.placement.context`): every engine is connected,
 * observed and planned in parallel, then the checks that refuse the whole apply (other
 * source folders, missing externals) run over all plans, then every plan runs on its engine
 * in parallel. An engine that cannot be reached fails its own objects only, with a message
 * naming its context. Keys of objects on other engines are `Kind/name@context`, in the
 * merged plan and outcomes that apply records and prints.
 */
export async function convergeAcross(
  ctx: CliContext,
  job: AcrossJob,
  groups: EngineGroup[],
): Promise<{ plan: Plan; result: ExecuteResult; homeImages?: ObservedImage[] }> {
  const { plan, planned: all } = await planAcross(ctx, job, groups, { recover: true });
  const folders = sourceFolders(job.sources, ctx.cwd);
  for (const p of all) {
    if (!p.plan || !p.observed) continue;
    const others = otherSourceDeletions(p.plan, p.observed, folders);
    if (others.length > 0 && !job.force) throw otherSourceError(job.project, others);
    refuseMissingExternals(relabel(p.plan, p.group.context));
  }
  const planned = job.only ? onlyWithin(all, job.only) : all;
  refuseConflicts({
    objects: planned.flatMap((p) => (p.plan ? relabel(p.plan, p.group.context).objects : [])),
    conflicts: plan.conflicts,
  });
  if (job.only && !planned.some((p) => p.plan?.objects.some(needsWork)))
    return { plan, result: { outcomes: [], ok: true } };
  const width = Math.max(0, ...plan.objects.map((o) => o.key.length));
  const report = progressReporter(ctx, width);
  const results = await Promise.all(
    planned.map((p) =>
      runGroup(ctx, job, p, (e) => report({ ...e, key: keyOn(e.key, p.group.context) })),
    ),
  );
  const outcomes = results.flat();
  // berth's own engine's image list, still current when it built or pulled nothing: history
  // records the set's images from it without one inspect per ref (a no-op costs the lists).
  const home = planned.find((p) => p.group.context === undefined);
  const pulledOrBuilt = home?.plan?.objects.some((o) => o.kind === 'Image' && needsWork(o));
  return {
    plan,
    result: { outcomes, ok: outcomes.every((o) => o.outcome === 'converged') },
    ...(home?.observed && !pulledOrBuilt ? { homeImages: home.observed.images } : {}),
  };
}

/**
 * The plan of a set spanning engines: every engine observed in parallel, contexts that reach
 * one engine joined, then each engine planned (in parallel), keys `Kind/name@context`; an
 * engine that cannot be reached lists its objects as `unknown` with the reason naming the
 * context. Changes nothing (`plan`, `diff`, `apply --dry-run`) unless `recover` (apply's
 * first half): then updates an earlier berth left half-done are recovered first, once per
 * engine however many contexts reach it.
 */
export async function planAcross(
  ctx: CliContext,
  job: Pick<AcrossJob, 'project' | 'prune' | 'interrupt' | 'starts'>,
  groups: EngineGroup[],
  options: { recover?: boolean } = {},
): Promise<{ plan: Plan; planned: GroupPlan[] }> {
  const observed = await Promise.all(groups.map((g) => observeGroup(ctx, job, g)));
  const joined = joinSameEngines(ctx, observed);
  const planned = await Promise.all(
    joined.map((p) => planObserved(job, p, options.recover ?? false)),
  );
  const plan: Plan = {
    project: job.project,
    objects: planned.flatMap((p) => (p.plan ? relabel(p.plan, p.group.context).objects : [])),
    conflicts: planned.flatMap((p) =>
      (p.plan?.conflicts ?? []).map((c) => ({ ...c, key: keyOn(c.key, p.group.context) })),
    ),
  };
  plan.objects.push(...planned.flatMap(unplannedObjects));
  return { plan, planned };
}

/** One engine's objects of the project (one observe, no write), or why it could not be read. */
async function observeGroup(
  ctx: CliContext,
  job: Pick<AcrossJob, 'project' | 'interrupt' | 'starts'>,
  group: EngineGroup,
): Promise<GroupPlan> {
  try {
    const raw =
      group.context === undefined
        ? await ctx.engine()
        : await engineOfContext(group.context, ctx.env);
    const guarded = job.interrupt ? job.interrupt.guard(raw, group.context) : raw;
    const engine = job.starts ? job.starts.noting(guarded) : guarded;
    const observed = await engine.observe({
      ...observeRequest(job.project, group.objects),
      identify: true,
    });
    return { group, engine, observed };
  } catch (e) {
    return unreachable(group, e);
  }
}

/**
 * A partial apply's groups: the one that declares the container run from, its plan cut down
 * to that container's dependencies (they live on its engine); the other engines are left
 * alone, reachable or not.
 */
function onlyWithin(planned: GroupPlan[], only: DependenciesOf): GroupPlan[] {
  const declares = (p: GroupPlan) => p.group.objects.some((o) => `${o.kind}/${o.name}` === only.of);
  return planned
    .filter(declares)
    .map((p) => (p.plan ? { ...p, plan: selectDependencies(p.plan, only) } : p));
}

/** Plans one engine's group on its observation; `recover`: half-done updates first (apply). */
async function planObserved(
  job: Pick<AcrossJob, 'project' | 'prune'>,
  p: GroupPlan,
  recover: boolean,
): Promise<GroupPlan> {
  if (!p.engine || !p.observed) return p;
  try {
    const { group, engine } = p;
    const observation = await observeProject(engine, job.project, group.objects, p.observed, {
      recoverUpdates: recover,
    });
    const plan = await planProject(engine, {
      project: job.project,
      desired: group.objects,
      prune: job.prune,
      ...observation,
    });
    return { group, engine, plan, observed: observation.observed };
  } catch (e) {
    return unreachable(p.group, e);
  }
}

/** An engine that cannot be reached or observed fails its own group only. */
function unreachable(group: EngineGroup, e: unknown): GroupPlan {
  const error = toBerthError(e);
  if (error.code !== 'E_ENGINE_UNREACHABLE' && error.code !== 'E_ENGINE') throw e;
  return { group, failure: onContext(group.context, error.message) };
}

/**
 * Groups whose contexts reach one engine (see {@link sameEngineClusters}) become one group on
 * the first of them, before anything is planned or recovered, so no group prunes what another
 * declared and no leftover is recovered twice. Says so on stderr.
 */
function joinSameEngines(ctx: CliContext, observed: GroupPlan[]): GroupPlan[] {
  const clusters = sameEngineClusters(observed.map((p) => p.observed));
  if (clusters.length === 0) return observed;
  const joined = new Set(clusters.flatMap((c) => c.slice(1)));
  const result = [...observed];
  for (const cluster of clusters) {
    const members = cluster.map((i) => observed[i]!);
    const first = members[0]!;
    const objects = members.flatMap((m) => m.group.objects);
    result[cluster[0]!] = {
      ...first,
      group: { ...first.group, objects },
      observed: withNamedOf(members),
    };
    const names = members.map((m) => (m.group.context ? `"${m.group.context}"` : "berth's own"));
    ctx.stderr.write(
      `note: contexts ${names.join(' and ')} reach one engine: their objects are applied there as one set\n`,
    );
  }
  return result.filter((_, i) => !joined.has(i));
}

/**
 * The first member's observation, naming every external network and volume any member asked
 * for (one engine: each member's lists are the same, only the names asked for differ).
 */
function withNamedOf(members: GroupPlan[]): ObservedState {
  const first = members[0]!.observed!;
  const named = members.flatMap((m) => (m.observed?.named ? [m.observed.named] : []));
  if (named.length === 0) return first;
  const byName = <T extends { name: string }>(lists: T[][]): T[] => [
    ...new Map(lists.flat().map((x) => [x.name, x] as const)).values(),
  ];
  return {
    ...first,
    named: {
      networks: byName(named.map((n) => n.networks)),
      volumes: byName(named.map((n) => n.volumes)),
    },
  };
}

async function runGroup(
  ctx: CliContext,
  job: AcrossJob,
  p: GroupPlan,
  onProgress: Parameters<typeof execute>[0]['onProgress'],
): Promise<ObjectOutcome[]> {
  const context = p.group.context;
  if (!p.engine || !p.plan || !p.observed) {
    return p.group.objects.map((o) => ({
      key: keyOn(`${o.kind}/${o.name}` as ObjectKey, context),
      outcome: 'failed' as const,
      ops: [],
      message: p.failure ?? 'not planned',
      code: 'E_ENGINE_UNREACHABLE',
    }));
  }
  const ran = await execute({
    engine: p.engine,
    plan: p.plan,
    desired: p.group.objects,
    observed: p.observed,
    parallel: job.parallel,
    deadline: job.deadline,
    now: ctx.now,
    ...(onProgress ? { onProgress } : {}),
    filesDir: ctx.stateDir,
    ...(job.interrupt ? { signal: job.interrupt.signal } : {}),
    startSettleMs: START_SETTLE_MS,
  });
  const judged = job.interrupt?.interrupted
    ? ran.outcomes
    : await waitForAwaitedJobs(
        p.engine,
        p.plan,
        p.group.objects,
        ran.outcomes,
        job.deadline,
        ctx.now,
      );
  const outcomes =
    job.wait && !job.interrupt?.interrupted
      ? await waitForReadiness(p.engine, p.plan, judged, job.deadline, ctx.now)
      : judged;
  return outcomes.map((o) => ({
    ...o,
    key: keyOn(o.key, context),
    ...(o.outcome === 'failed' && o.message ? { message: onContext(context, o.message) } : {}),
  }));
}

/** Plan entries for the objects of an engine that could not be planned against. */
function unplannedObjects(p: GroupPlan): ObjectPlan[] {
  if (p.plan) return [];
  return p.group.objects.map((o: DesiredObject) => ({
    key: keyOn(`${o.kind}/${o.name}` as ObjectKey, p.group.context),
    kind: o.kind,
    name: o.name,
    observed: 'unknown',
    desired: o.kind === 'Container' ? o.spec.state : 'present',
    steps: [],
    inSync: false,
    reason: p.failure ?? 'not planned',
    after: [],
  }));
}

/** The plan with every key as `Kind/name@context` (unchanged on berth's own engine). */
function relabel(plan: Plan, context: string | undefined): Plan {
  if (context === undefined) return plan;
  return {
    ...plan,
    objects: plan.objects.map((o) => ({
      ...o,
      key: keyOn(o.key, context),
      after: o.after.map((k) => keyOn(k, context)),
      steps: o.steps.map((s) => ({ ...s, key: keyOn(s.key, context) })),
    })),
  };
}

/** `context NAME: message`, unless the message already names the context. */
function onContext(context: string | undefined, message: string): string {
  if (context === undefined || message.includes(`context "${context}"`)) return message;
  return `context "${context}": ${message}`;
}
