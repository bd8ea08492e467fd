import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import { execute, needsWork, type ObjectOutcome, type ProgressEvent } from '../executor/execute.js';
import { ranEffect, ranSteps, type RanEffect } from '../executor/ran-summary.js';
import type { AppliedStep } from '../records/record-types.js';
import { takeBackReplicas } from '../executor/replica-takeback.js';
import type { Engine, ObservedState } from '../engine/engine.js';
import { toBerthError } from '../errors.js';
import type { Logger } from '../logger.js';
import { observeProject, planProject } from '../observe.js';
import type { RestartMemory } from '../plan/plan-input.js';
import { containerIdsOf } from '../records/restarts.js';
import type { RecoveryStep } from '../plan/recovery-steps.js';
import type { ObjectPlan, Plan } from '../plan/plan-types.js';
import type { CrashLoopTracker } from './backoff.js';
import type { DependencyWaits } from './dependency-waits.js';
import type { DesiredSnapshot } from './desired-store.js';
import type { EventBus } from './event-bus.js';
import type { PruneGuard } from './prune-guard.js';
import type { WatchMetrics } from './metrics.js';
import { leftToEngine } from './left-to-engine.js';
import { settingsToRead, withSettings } from './settings-read.js';
import { dependentsOf, selectPlan } from '../executor/select-plan.js';
import type { WorkItem, WorkVerdict } from './work-queue.js';
import { describeReason, isDriftRepair, type WorkReason } from './work-reason.js';

type Item = WorkItem<ObjectKey, WorkReason>;
type Verdict = WorkVerdict<WorkReason>;

export interface ReconcilerDeps {
  engine: Engine;
  /** The Docker context of `engine` when it is not berth's own (a set spanning contexts). */
  context?: string;
  project: string;
  desired: () => DesiredSnapshot;
  parallel: number;
  crashLoop: CrashLoopTracker;
  metrics: WatchMetrics;
  bus: Pick<EventBus, 'publish'>;
  logger: Logger;
  /** Queues keys to look at again (dependents of an object that changed). */
  requeue: (key: ObjectKey, reason: WorkReason) => void;
  now: () => number;
  /**
   * What a run did to `key` (ran-summary.ts) and the steps it took, as apply records them
   * (ranSteps, a failed one with its reason): history counts and explains a change by them.
   */
  onRan?: (key: ObjectKey, effect: RanEffect, steps: AppliedStep[]) => void;
  /** Restarts berth made of `key`, whose containers have `containerIds` (for the records). */
  onRestarts?: (key: ObjectKey, count: number, containerIds: string[]) => void;
  /** When the container was last unpaused (an `unpause` event, by hand or by berth). */
  unpausedAt?: (key: ObjectKey) => number | undefined;
  /**
   * A batch unpaused `key` itself: its health verdict is stale from now on, whether or not
   * the engine's `unpause` event ever arrives (F130: at start-up it fired before the event
   * stream attached, and the next pass restarted a healthy container for the `unhealthy` it
   * showed while paused).
   */
  onUnpaused?: (key: ObjectKey) => void;
  /** Dependants parked on what they wait for, woken when it is ready (F24). */
  waits: DependencyWaits;
  /** How long one batch may wait for dependsOn conditions. */
  waitLimitMs?: number;
  /** Keeps prune off what another folder applied (issue 19 item 10). */
  pruneGuard?: PruneGuard;
  /** Labels for the containers a batch creates: the current revision's apply id and commit. */
  stamp?: () => Record<string, string> | undefined;
  /** Image ids history keeps (built images outside it are removed); undefined: keep all. */
  keepImageIds?: () => Set<string> | undefined;
  /**
   * An update of `key` failed its gate and was rolled back (the old container runs on): the
   * controller holds the project at its last good apply (DESIGN.md "Updates and rollback":
   * in watch, a rollback holds the project until release or a new source revision), so the
   * same failing update is not tried again and again, each try taking the running one down
   * for a stop-first update (F113). The key is not retried on its own.
   */
  onFailedUpdate?: (key: ObjectKey, message: string) => Promise<void>;
  /** Each reconciled key's outcome (undefined: nothing to do, in sync): the controller's memory of failures. */
  onSettled?: (key: ObjectKey, outcome: ObjectOutcome | undefined) => void;
  /**
   * A restart someone asked for is under way for `key` (F154): its exit is not a crash, so
   * the key is left alone; the restart queues it again when it is over.
   */
  restarting?: (key: ObjectKey) => boolean;
  /**
   * berth's state directory: history says which spec replicas replaced before a failed gate
   * go back to (replica-takeback.ts); without it nothing is taken back.
   */
  stateDir?: string;
}

/**
 * Level-triggered reconcile of a batch of keys: read the desired set as it is now, observe
 * the engine once, plan (with prune when the desired set allows it), and run only the work
 * of those keys and what they wait for. The exit of a container the engine is restarting
 * itself is settled by one inspect instead (left-to-engine.ts); a key whose requested restart
 * is under way is left alone. Never rejects; each key gets a verdict for the queue.
 */
export async function reconcileBatch(
  deps: ReconcilerDeps,
  items: Item[],
): Promise<Map<ObjectKey, Verdict>> {
  const started = deps.now();
  const requested = items.filter((i) => deps.restarting?.(i.key));
  const asked = requested.length ? items.filter((i) => !requested.includes(i)) : items;
  const left = await leftToEngine(deps.engine, asked, deps.desired().objects);
  const rest = left.size ? asked.filter((i) => !left.has(i.key)) : asked;
  const verdicts = rest.length
    ? await reconcileObserved(deps, rest)
    : new Map<ObjectKey, Verdict>();
  for (const { key, reason } of requested) {
    const cause = describeReason(reason);
    deps.logger.debug({ key, cause }, 'reconcile: part of a requested restart under way');
    verdicts.set(key, 'done');
  }
  for (const key of left) {
    deps.metrics.countReconcile('unchanged', deps.now() - started);
    deps.logger.debug({ key, outcome: 'unchanged' }, 'reconcile: the engine is restarting it');
    verdicts.set(key, 'done');
  }
  return verdicts;
}

/** The full path of {@link reconcileBatch}: one observe and plan of the project. */
async function reconcileObserved(
  deps: ReconcilerDeps,
  items: Item[],
): Promise<Map<ObjectKey, Verdict>> {
  const started = deps.now();
  const snapshot = deps.desired();
  const memory = restartMemory(deps, snapshot.objects);
  let full: Plan;
  let observed: ObservedState;
  try {
    const observation = await observeProject(
      deps.engine,
      deps.project,
      snapshot.objects,
      undefined,
      { recoverUpdates: true },
    );
    // Settings changed in place are seen only by an inspect: read for the containers whose
    // `update` event queued them (or a start resync), never for every observe (F272: four list
    // calls stay four).
    const toRead = settingsToRead(items, deps.project, observation.observed);
    observed = await withSettings(deps.engine, observation.observed, toRead);
    logRecovered(deps, observation.recovered);
    full = await planProject(deps.engine, {
      project: deps.project,
      desired: snapshot.objects,
      ...observation,
      observed,
      prune: snapshot.prune,
      restarts: memory,
      keepImageIds: deps.keepImageIds?.(),
      ...(snapshot.pinnedImages ? { pinnedImages: snapshot.pinnedImages } : {}),
    });
    if (deps.pruneGuard) full = deps.pruneGuard.apply(full, observed);
    deps.metrics.noteReachable(deps.context, true);
  } catch (e) {
    const message = toBerthError(e).message;
    deps.metrics.noteReachable(deps.context, false, message);
    const where = deps.context ? { context: deps.context } : {};
    const keys = items.map((i) => i.key);
    deps.logger.warn({ keys, ...where, err: message }, 'cannot observe the engine');
    return new Map(items.map((i) => [i.key, 'failed' as const]));
  }

  const selected = leaveToEngine(
    selectPlan(
      full,
      items.map((i) => i.key),
    ),
  );
  const planned = selected.objects.flatMap((p) =>
    p.steps.map((s) => ({ key: s.key, action: s.action, cause: s.cause })),
  );
  // The live plan of the web view (issue 16): shown before it runs, ticked by progress events.
  if (planned.length) deps.bus.publish({ type: 'plan', steps: planned, time: deps.now() });
  const run = {
    engine: deps.engine,
    parallel: deps.parallel,
    deadline: deps.now() + (deps.waitLimitMs ?? 120_000),
    now: deps.now,
    onProgress: (e: ProgressEvent) =>
      deps.bus.publish({ type: 'progress', ...e, time: deps.now() }),
    stamp: deps.stamp?.(),
  };
  const executed = await execute({ ...run, plan: selected, desired: snapshot.objects, observed });
  // A replica that failed its gate takes back those replaced before it (onFailure: rollback),
  // as apply does: the same take-back, to the spec of the newest converged apply in history.
  const kept = deps.keepImageIds?.();
  const result = deps.stateDir
    ? await takeBackReplicas({
        ...run,
        project: deps.project,
        stateDir: deps.stateDir,
        desired: snapshot.objects,
        result: executed,
        ...(kept ? { keepImageIds: kept } : {}),
      })
    : executed;
  const outcomes = new Map(result.outcomes.map((o) => [o.key, o] as const));
  for (const o of result.outcomes) if (o.ops.includes('unpause')) deps.onUnpaused?.(o.key);

  const durationMs = deps.now() - started;
  // What ran counts for the changes settling now, before a failed update's hold takes in its
  // rollback: the failure is the failing revision's, not the rollback's (F151: the rollback
  // was recorded as a failed apply of the good commit, which `rollback SHA` then refused).
  const planOf = new Map(full.objects.map((p) => [p.key, p] as const));
  const ranAt = deps.now();
  for (const o of result.outcomes)
    deps.onRan?.(o.key, ranEffect(planOf.get(o.key), o), ranSteps(full, [o], ranAt));
  const verdicts = new Map<ObjectKey, Verdict>();
  for (const item of items) {
    const outcome = outcomes.get(item.key);
    countRestarts(deps, item.key, outcome, observed);
    const stale = staleFor(memory.get(item.key), full, item.key);
    const verdict = settleKey(deps, full, item, outcome, durationMs, stale);
    deps.onSettled?.(item.key, outcome);
    const hold = outcome?.failedUpdate === 'rolled-back' ? deps.onFailedUpdate : undefined;
    // Before the next batch: one queued meanwhile (the failed container's `destroy` event)
    // must see the held set, not try the failing update again.
    if (hold) await hold(item.key, outcome?.message ?? 'update rolled back');
    verdicts.set(item.key, hold ? 'done' : verdict);
  }
  wakeAndPark(deps, full, items, result.outcomes, started);
  const ran = new Set(selected.objects.filter(needsWork).map((p) => p.key));
  const untouchedDrift = full.objects.some((p) => needsWork(p) && !ran.has(p.key));
  if (result.ok && !untouchedDrift) deps.metrics.lastSuccessfulSync = deps.now();
  return verdicts;
}

/**
 * Says what the observation repaired before the plan (a name given back, an interrupted
 * update finished): the plan then finds it in sync, and the repair would go unsaid (F120: a
 * container renamed by hand got its name back with no line in the log).
 */
function logRecovered(deps: ReconcilerDeps, steps: readonly RecoveryStep[]): void {
  for (const step of steps)
    deps.logger.info(
      { key: step.key, cause: step.cause, steps: [step.action] },
      'repaired before planning',
    );
}

/**
 * An object that converged, or a queued one found in sync, wakes the dependants parked on
 * it at once; one that ended waiting for another object is parked on it (F24: waiting is not
 * a failure, so it earns no back-off).
 */
function wakeAndPark(
  deps: ReconcilerDeps,
  full: Plan,
  items: Item[],
  outcomes: readonly ObjectOutcome[],
  started: number,
): void {
  const ran = new Set(outcomes.map((o) => o.key));
  const inSync = (key: ObjectKey) => full.objects.some((p) => p.key === key && !needsWork(p));
  const ready = [
    ...outcomes.filter((o) => o.outcome === 'converged').map((o) => o.key),
    ...items.map((i) => i.key).filter((key) => !ran.has(key) && inSync(key)),
  ];
  for (const { dependant, of } of deps.waits.settleBatch(outcomes, ready, started, deps.now()))
    deps.requeue(dependant, { kind: 'dependency-ready', of });
}

/**
 * Containers the engine is restarting itself (its restart policy, `restarting`: no step for
 * berth) are left to it instead of waited for: the engine's own event says how that ends
 * (`die`: queued again; `start`: nothing to do; `destroy`: queued again), and the periodic
 * resync is the safety net. Waiting would hold the batch, and every key queued behind it,
 * for the engine's back-off (up to a minute), inspecting all the while (issue 11, restart
 * storm CPU).
 */
function leaveToEngine(selected: Plan): Plan {
  const restarting = (p: ObjectPlan) =>
    p.steps.length === 0 && p.container?.situation.observed === 'restarting';
  if (!selected.objects.some(restarting)) return selected;
  return {
    ...selected,
    objects: selected.objects.map((p) => (restarting(p) ? { ...p, inSync: true } : p)),
  };
}

/** Every restart the container machine made is counted, and starts the next back-off. */
function countRestarts(
  deps: ReconcilerDeps,
  key: ObjectKey,
  outcome: ObjectOutcome | undefined,
  observed: ObservedState,
) {
  const count = outcome?.restarts ?? 0;
  for (let i = 0; i < count; i++) {
    deps.crashLoop.recordRestart(key, deps.now());
    deps.metrics.restarts += 1;
  }
  // A restart (start, or stop then start) keeps the container's id.
  if (count > 0) deps.onRestarts?.(key, count, containerIdsOf(deps.project, observed, key));
}

/**
 * Probes run against a frozen container fail: its health verdict means nothing until it has
 * been probed again after the unpause, about one interval later (issue 11). A passing probe
 * answers quickly; one still unanswered after this margin is failing anyway.
 */
const HEALTH_MARGIN_MS = 1_500;

/** berth's memory of each declared container for the planner: back-off and stale health. */
function restartMemory(
  deps: ReconcilerDeps,
  objects: readonly DesiredObject[],
): Map<ObjectKey, RestartMemory & { staleUntil?: number }> {
  const now = deps.now();
  const out = new Map<ObjectKey, RestartMemory & { staleUntil?: number }>();
  for (const o of objects) {
    if (o.kind !== 'Container') continue;
    const key = `Container/${o.name}` as ObjectKey;
    const check = o.spec.healthcheck;
    const unpaused = deps.unpausedAt?.(key);
    const staleUntil =
      check && unpaused !== undefined
        ? unpaused +
          check.intervalMs +
          Math.min(check.timeoutMs, HEALTH_MARGIN_MS) +
          HEALTH_MARGIN_MS
        : undefined;
    const healthStale = staleUntil !== undefined && now < staleUntil;
    out.set(key, {
      backoffMs: deps.crashLoop.waitBeforeRestart(key, now),
      ...(healthStale ? { healthStale, staleUntil } : {}),
    });
  }
  return out;
}

/** Ms until a stale health verdict of an unhealthy container may be trusted again. */
function staleFor(
  memory: (RestartMemory & { staleUntil?: number }) | undefined,
  full: Plan,
  key: ObjectKey,
): number | undefined {
  if (!memory?.healthStale || memory.staleUntil === undefined) return undefined;
  const p = full.objects.find((o) => o.key === key);
  return p?.container?.situation.health === 'starting' ? memory.staleUntil : undefined;
}

/** Logs and counts one key's reconcile; returns what the queue should do with it. */
function settleKey(
  deps: ReconcilerDeps,
  full: Plan,
  item: Item,
  outcome: ObjectOutcome | undefined,
  durationMs: number,
  staleUntil?: number,
): Verdict {
  const cause = describeReason(item.reason);
  if (outcome?.retryAfterMs) {
    deps.metrics.countReconcile('deferred', durationMs);
    deps.logger.info(
      { key: item.key, cause, backoffMs: outcome.retryAfterMs },
      'crash loop: restart backed off',
    );
    return { afterMs: outcome.retryAfterMs, reason: { kind: 'backoff-expired' } };
  }
  const name = outcome?.outcome ?? 'unchanged';
  const steps = outcome?.ops ?? [];
  deps.metrics.countReconcile(name, durationMs);
  const record = { key: item.key, cause, steps, durationMs, outcome: name };
  if (outcome) {
    const level = name === 'failed' || name === 'skipped' ? 'warn' : 'info';
    deps.logger[level](
      { ...record, ...(outcome.message ? { message: outcome.message } : {}) },
      'reconcile',
    );
  } else deps.logger.debug(record, 'reconcile');
  deps.bus.publish({
    type: 'reconcile',
    ...record,
    time: deps.now(),
    ...(outcome?.message ? { message: outcome.message } : {}),
  });
  if (steps.length > 0) {
    if (isDriftRepair(item.reason)) deps.metrics.driftRepairs += 1;
    // A recreated network or rebuilt image changes what its dependents must do.
    for (const dependent of dependentsOf(full, item.key))
      deps.requeue(dependent, { kind: 'dependency-changed', of: item.key });
  }
  // An unhealthy verdict from before an unpause: look again once a fresh probe has run.
  if (staleUntil !== undefined)
    return { afterMs: Math.max(0, staleUntil - deps.now()), reason: { kind: 'health-settled' } };
  if (!outcome) return 'done';
  // Waiting for another object is not a failure of this one: no back-off (F24).
  if (outcome.waitingFor) return 'blocked';
  return name === 'converged' || name === 'held' ? 'done' : 'failed';
}
