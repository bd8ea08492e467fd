import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import { execute, needsWork, type ObjectOutcome } from '../apply/execute.js';
import type { Engine, ObservedContainer, ObservedState } from '../engine/engine.js';
import { toBerthError } from '../errors.js';
import type { Logger } from '../cli/logger.js';
import { observeProject } from '../observe.js';
import { indexOwned, plan } from '../plan/plan.js';
import type { ObjectPlan, Plan } from '../plan/plan-types.js';
import type { CrashLoopTracker } from './backoff.js';
import type { DesiredSnapshot } from './desired-store.js';
import type { EventBus } from './event-bus.js';
import type { WatchMetrics } from './metrics.js';
import { dependentsOf, selectPlan } from './select-plan.js';
import type { WorkItem, WorkVerdict } from './work-queue.js';

export interface ReconcilerDeps {
  engine: Engine;
  project: string;
  desired: () => DesiredSnapshot;
  parallel: number;
  crashLoop: CrashLoopTracker;
  metrics: WatchMetrics;
  bus: EventBus;
  logger: Logger;
  /** Queues keys to look at again (dependents of an object that changed). */
  requeue: (key: ObjectKey, cause: string) => void;
  now: () => number;
  /**
   * True when the container was stopped or killed through the API just now (a `kill`/`stop`
   * event): bringing it back is drift repair, not a crash loop, and is never backed off.
   */
  stoppedByHand?: (key: ObjectKey) => boolean;
  /** How long one batch may wait for dependsOn conditions. */
  waitLimitMs?: number;
}

/** The cause of work that came from the folder: not a drift repair. */
export const FOLDER_CAUSE = 'manifests changed';

/**
 * Level-triggered reconcile of a batch of keys: read the desired set as it is now, observe
 * the engine once, plan (with prune when the desired set allows it), and run only the work
 * of those keys and what they wait for. Never rejects; each key gets a verdict for the queue.
 */
export async function reconcileBatch(
  deps: ReconcilerDeps,
  items: WorkItem<ObjectKey>[],
): Promise<Map<ObjectKey, WorkVerdict>> {
  const started = deps.now();
  const snapshot = deps.desired();
  let full: Plan;
  let containers: Map<ObjectKey, ObservedContainer>;
  let observed: ObservedState;
  try {
    const observation = await observeProject(
      deps.engine,
      deps.project,
      snapshot.objects,
      undefined,
      { recoverUpdates: true },
    );
    observed = observation.observed;
    full = plan({
      project: deps.project,
      desired: snapshot.objects,
      ...observation,
      prune: snapshot.prune,
    });
    containers = ownedContainers(observation.observed, deps.project);
    deps.metrics.engineReachable = true;
  } catch (e) {
    deps.metrics.engineReachable = false;
    const message = toBerthError(e).message;
    deps.logger.warn({ keys: items.map((i) => i.key), err: message }, 'cannot observe the engine');
    return new Map(items.map((i) => [i.key, 'failed' as const]));
  }

  const verdicts = new Map<ObjectKey, WorkVerdict>();
  const run: WorkItem<ObjectKey>[] = [];
  const unhealthy: { item: WorkItem<ObjectKey>; container: ObservedContainer; grace: number }[] =
    [];
  for (const item of items) {
    const p = full.objects.find((o) => o.key === item.key);
    const declared = snapshot.objects.find((o) => `${o.kind}/${o.name}` === item.key);
    const observedContainer = containers.get(item.key);
    const sick = p && observedContainer && wantsUnhealthyRestart(declared, observedContainer, p);
    // Only an object that keeps failing by itself backs off: not the first convergence, not a stop by hand.
    const restart =
      p &&
      (isRestart(p) || sick) &&
      item.cause.startsWith('engine event') &&
      !deps.stoppedByHand?.(item.key);
    const wait = restart ? deps.crashLoop.waitBeforeRestart(item.key, deps.now()) : 0;
    if (wait > 0) {
      verdicts.set(item.key, { afterMs: wait });
      deps.metrics.countReconcile('deferred', 0);
      deps.logger.info(
        { key: item.key, cause: item.cause, backoffMs: wait },
        'crash loop: restart backed off',
      );
      continue;
    }
    if (restart) {
      deps.crashLoop.recordRestart(item.key, deps.now());
      deps.metrics.restarts += 1;
    }
    if (sick && observedContainer && declared?.kind === 'Container') {
      unhealthy.push({
        item,
        container: observedContainer,
        grace: declared.spec.stopGracePeriodMs,
      });
    } else run.push(item);
  }

  const selected = selectPlan(
    full,
    run.map((i) => i.key),
  );
  const planned = selected.objects.flatMap((p) =>
    p.steps.map((s) => ({ key: s.key, action: s.action, cause: s.cause })),
  );
  // The live plan of the web view (issue 16): shown before it runs, ticked by progress events.
  if (planned.length) deps.bus.publish({ type: 'plan', steps: planned, time: deps.now() });
  const result = await execute({
    engine: deps.engine,
    plan: selected,
    desired: snapshot.objects,
    observed,
    parallel: deps.parallel,
    deadline: deps.now() + (deps.waitLimitMs ?? 120_000),
    now: deps.now,
    onProgress: (e) => deps.bus.publish({ type: 'progress', ...e, time: deps.now() }),
  });
  const outcomes = new Map(result.outcomes.map((o) => [o.key, o] as const));
  for (const u of unhealthy)
    outcomes.set(u.item.key, await restartUnhealthy(deps.engine, u.item.key, u.container, u.grace));

  const durationMs = deps.now() - started;
  for (const item of [...run, ...unhealthy.map((u) => u.item)]) {
    verdicts.set(item.key, settleKey(deps, full, item, outcomes.get(item.key), durationMs));
  }
  const ran = new Set(selected.objects.filter(needsWork).map((p) => p.key));
  const untouchedDrift = full.objects.some((p) => needsWork(p) && !ran.has(p.key));
  if (result.ok && unhealthy.length === 0 && !untouchedDrift)
    deps.metrics.lastSuccessfulSync = deps.now();
  return verdicts;
}

/** Logs and counts one key's reconcile; returns what the queue should do with it. */
function settleKey(
  deps: ReconcilerDeps,
  full: Plan,
  item: WorkItem<ObjectKey>,
  outcome: ObjectOutcome | undefined,
  durationMs: number,
): WorkVerdict {
  const name = outcome?.outcome ?? 'unchanged';
  const steps = outcome?.ops ?? [];
  deps.metrics.countReconcile(name, durationMs);
  const record = { key: item.key, cause: item.cause, steps, durationMs, outcome: name };
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
    if (item.cause !== FOLDER_CAUSE) deps.metrics.driftRepairs += 1;
    // A recreated network or rebuilt image changes what its dependents must do.
    for (const dependent of dependentsOf(full, item.key))
      deps.requeue(dependent, `${item.key} changed`);
  }
  if (!outcome) return recheck(item) ?? 'done';
  return name === 'converged' || name === 'held' ? 'done' : 'failed';
}

/** Event actions after which the engine's list can lag behind: it shows `running` for ~70 ms after a `die`. */
const LAGGING_EVENT = /^engine event: (die|kill|stop|oom|pause|unpause)(?: \(recheck (\d)\))?$/;
const RECHECKS = 3;

/**
 * Nothing to do right after an event that says something changed: the list may not show the
 * change yet, so look again shortly (100, 200, 400 ms) rather than trust one early snapshot.
 */
function recheck(item: WorkItem<ObjectKey>): WorkVerdict | undefined {
  const m = LAGGING_EVENT.exec(item.cause);
  if (!m) return undefined;
  const done = Number(m[2] ?? 0);
  if (done >= RECHECKS) return undefined;
  return { afterMs: 100 * 2 ** done, cause: `engine event: ${m[1]} (recheck ${done + 1})` };
}

/** berth is about to start a container that ran before: a restart, subject to back-off. */
function isRestart(p: ObjectPlan): boolean {
  const ran = p.observed === 'exited' || p.observed === 'dead';
  return (
    p.kind === 'Container' &&
    ran &&
    p.desired !== 'absent' &&
    p.steps.some((s) => s.action === 'start' || s.action === 'create')
  );
}

/** A running container its healthcheck calls unhealthy, unless the manifest says to leave it. */
function wantsUnhealthyRestart(
  declared: DesiredObject | undefined,
  c: ObservedContainer,
  p: ObjectPlan,
): boolean {
  if (declared?.kind !== 'Container' || !declared.spec.healthcheck) return false;
  if (!declared.spec.healthcheck.restartOnUnhealthy) return false;
  // Anything else pending (a recreate, a stop) is the plan's job, not a restart's.
  return c.state === 'running' && c.health === 'unhealthy' && p.steps.length === 0;
}

/** Stop, then start: the engine never restarts an unhealthy container itself (DESIGN.md). */
async function restartUnhealthy(
  engine: Engine,
  key: ObjectKey,
  c: ObservedContainer,
  graceMs: number,
): Promise<ObjectOutcome> {
  try {
    await engine.stopContainer(c.id, Math.ceil(graceMs / 1000));
    await engine.startContainer(c.id);
    return { key, outcome: 'converged', ops: ['stop', 'start'], message: 'restarted: unhealthy' };
  } catch (e) {
    return { key, outcome: 'failed', ops: [], message: toBerthError(e).message };
  }
}

function ownedContainers(
  observed: ObservedState,
  project: string,
): Map<ObjectKey, ObservedContainer> {
  const out = new Map<ObjectKey, ObservedContainer>();
  for (const [key, value] of indexOwned(observed, project)) {
    if (key.startsWith('Container/')) out.set(key, value as ObservedContainer);
  }
  return out;
}
