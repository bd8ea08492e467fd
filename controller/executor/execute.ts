import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import { isEngineError, type Engine, type ObservedState } from '../engine/engine.js';
import { BerthError, toBerthError } from '../errors.js';
import type { ObjectPlan, Plan } from '../plan/plan-types.js';
import { indexOwned } from '../plan/plan.js';
import { runObject, type RunOutcome } from './run-object.js';
import { needsWork, settledAsDeclared } from './plan-work.js';
import { withPortHolder } from './port-holder.js';
import { Semaphore } from './semaphore.js';
import { waitForCondition } from './wait-condition.js';

export type ProgressPhase =
  'waiting' | 'running' | 'op' | 'converged' | 'held' | 'failed' | 'skipped';

export interface ProgressEvent {
  key: ObjectKey;
  phase: ProgressPhase;
  op?: string;
  message?: string;
  /** For op `gate` (an update's health gate): Unix ms by which it must pass. */
  deadline?: number;
  /** A failed removal the engine refused because these containers use it (as the outcome's). */
  inUseBy?: string[];
}

export interface ObjectOutcome {
  key: ObjectKey;
  outcome: 'converged' | 'held' | 'failed' | 'skipped';
  /** The operations that ran, in order (`connect NET` names its network). */
  ops: string[];
  message?: string;
  /** The stable error code of a failure (E_ENGINE, E_CONFLICT, E_CONVERGE…). */
  code?: string;
  /** Restarts berth made of this container (after an exit, after `unhealthy`). */
  restarts?: number;
  /** A restart waits for its back-off: look again after this many ms. */
  retryAfterMs?: number;
  /**
   * The object this one waits for, when that is why it did not converge: a dependency that
   * did not converge (skipped) or does not meet its `dependsOn` condition (failed). Not a
   * failure of this object's own; the controller looks again when that one is ready.
   */
  waitingFor?: ObjectKey;
  /** An update's gate failed: the new container was removed (rolled-back) or both kept (paused). */
  failedUpdate?: 'rolled-back' | 'paused';
  /**
   * The step a failed update failed at, as history and status name it: `gate` (the new
   * container did not pass its gate), `update` (an engine call of the update failed: its
   * error names it). F278: the next planned step was named instead, `stop failed`.
   */
  failedStep?: 'start' | 'gate' | 'update';
  /**
   * An image or network the engine would not remove because containers use it or are
   * attached to it (whoever owns them): their engine names (`delete`/`down` keep it and say
   * so, F346, F462).
   */
  inUseBy?: string[];
}

export interface ExecuteOptions {
  engine: Engine;
  plan: Plan;
  desired: readonly DesiredObject[];
  observed: ObservedState;
  parallel: number;
  /** Unix ms after which waiting for conditions gives up. */
  deadline: number;
  now?: () => number;
  onProgress?: (event: ProgressEvent) => void;
  /** berth's state directory, where secret and config files are written (default: $XDG_STATE_HOME/berth). */
  filesDir?: string;
  /** Labels put on every container created (applyStamp: `berth.apply`, `berth.commit`). */
  stamp?: Record<string, string>;
  /**
   * Ctrl-C (or the deadline): an update's health gate under way ends at once (the caller undoes
   * the update). Given with an engine that refuses every new call once it is aborted (the
   * interrupt's guard): from then on no step is announced, since its call is never made (F541).
   */
  signal?: AbortSignal;
  /**
   * Once aborted, no object starts: those not started yet end `skipped` (E_INTERRUPTED) without
   * an engine call, and those under way run to their end (`delete`/`down` after a signal, F250:
   * a container whose stop is under way is also removed, never left stopped half-way).
   */
  stopStarting?: AbortSignal;
  /**
   * After starting a container, how long its run must stay up before it counts as started;
   * `apply` passes START_SETTLE_MS so that a crash loop fails it every time (F341). The wait
   * holds no parallel slot.
   */
  startSettleMs?: number;
}

export interface ExecuteResult {
  outcomes: ObjectOutcome[];
  ok: boolean;
}

// Re-exported: callers that only ask whether there is work load plan-work.ts alone.
export { heldByNever, needsWork } from './plan-work.js';

/**
 * Runs a plan along its dependency graph: each object starts when the objects it waits
 * for are done (and, for dependsOn, meet their condition); independent objects run in
 * parallel, at most `parallel` at once. A failed object skips its dependants and nothing
 * else. Never rejects: every object ends with an outcome.
 */
export async function execute(options: ExecuteOptions): Promise<ExecuteResult> {
  const { plan } = options;
  const now = options.now ?? Date.now;
  // A container whose image is pulled or built in this run is looked at again once the
  // image is there: only then is it known whether its image id changed.
  const imageWork = new Set(
    plan.objects.filter((p) => p.kind === 'Image' && p.steps.length > 0).map((p) => p.key),
  );
  const work = plan.objects.filter(
    (p) =>
      needsWork(p) ||
      (p.kind === 'Container' && p.desired !== 'absent' && p.after.some((k) => imageWork.has(k))),
  );
  const workKeys = new Set(work.map((p) => p.key));
  const results = new Map<ObjectKey, Promise<ObjectOutcome>>();
  const settle = new Map<ObjectKey, (o: ObjectOutcome) => void>();
  for (const p of work) results.set(p.key, new Promise((resolve) => settle.set(p.key, resolve)));
  const limit = new Semaphore(Math.max(1, options.parallel));
  const refreshedImages = new Set<string>();
  const owned = indexOwned(options.observed, plan.project);
  const emit = (event: ProgressEvent) => options.onProgress?.(event);
  const imageRefOf = (p: ObjectPlan) => {
    const image = options.desired.find((o) => o.kind === 'Image' && o.name === p.name);
    return image?.kind === 'Image' ? image.spec.ref : p.name;
  };

  const runOne = async (p: ObjectPlan): Promise<ObjectOutcome> => {
    const deps = p.after.filter((k) => workKeys.has(k));
    if (deps.length) emit({ key: p.key, phase: 'waiting', message: deps.join(', ') });
    const depOutcomes = await Promise.all(deps.map((k) => results.get(k)));
    const failedDep = depOutcomes.find((o) => o && o.outcome !== 'converged');
    if (failedDep)
      return finish(p.key, {
        outcome: 'skipped',
        ops: [],
        message: notTouchedText(p, failedDep),
        code: 'E_DEPENDENCY',
        waitingFor: failedDep.key,
      });
    const unmet = await waitForDependsOn(p, options, now);
    if (unmet)
      return finish(p.key, {
        outcome: 'failed',
        ops: [],
        message: unmet.error.message,
        code: unmet.error.code,
        ...(unmet.dependency ? { waitingFor: unmet.dependency } : {}),
      });
    const outcome = await limit.run(async (leaveSlot) => {
      if (options.stopStarting?.aborted) return undefined;
      emit({ key: p.key, phase: 'running' });
      return runObject(p, {
        engine: options.engine,
        project: plan.project,
        desired: options.desired,
        observed: options.observed,
        owned,
        refreshedImages,
        filesDir: options.filesDir,
        ...(options.stamp ? { stamp: options.stamp } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.startSettleMs ? { startSettleMs: options.startSettleMs, leaveSlot } : {}),
        onOp: (op, target) => {
          // Said just before its call, in the same turn: after the signal the call is refused.
          if (options.signal?.aborted) return;
          emit({ key: p.key, phase: 'op', op: target ? `${op} ${target}` : op });
        },
        onGate: (deadline) => emit({ key: p.key, phase: 'op', op: 'gate', deadline }),
      });
    });
    if (!outcome) return finish(p.key, NOT_STARTED);
    if (p.kind === 'Image' && outcome.outcome === 'converged') refreshedImages.add(imageRefOf(p));
    return finish(
      p.key,
      toObjectOutcome(outcome, (m, e) => withPortHolder(m, e, options.observed, p)),
    );
  };

  const finish = (key: ObjectKey, o: Omit<ObjectOutcome, 'key'>): ObjectOutcome => {
    emit({
      key,
      phase: o.outcome,
      message: o.message,
      ...(o.inUseBy ? { inUseBy: o.inUseBy } : {}),
    });
    return { key, ...o };
  };

  for (const p of work) {
    void runOne(p)
      .catch((e: unknown) =>
        finish(p.key, { outcome: 'failed', ops: [], message: toBerthError(e).message }),
      )
      .then((o) => settle.get(p.key)?.(o));
  }
  const outcomes = await Promise.all(results.values());
  return { outcomes, ok: outcomes.every(settledAsDeclared) };
}

/**
 * Why an object whose dependency did not converge was left alone, in Compose's and
 * Kubernetes' words: `dependency Container/db failed: not created` (F663: a dependant never
 * created was reported `create failed`, as if its own create had been refused), followed by the
 * dependency's own reason in parentheses when it has one (F624: `did not converge` alone sent
 * the user to look for the line above; a skipped dependency's reason is only a link, so a chain
 * does not repeat it).
 */
function notTouchedText(p: ObjectPlan, dependency: ObjectOutcome): string {
  const what = dependency.outcome === 'failed' ? 'failed' : 'did not converge';
  const left =
    p.desired === 'absent'
      ? 'not removed'
      : p.observed === 'absent'
        ? 'not created'
        : 'not changed';
  const why = dependency.outcome === 'skipped' ? undefined : dependency.message;
  return `dependency ${dependency.key} ${what}: ${left}${why ? ` (${why})` : ''}`;
}

/** An object {@link ExecuteOptions.stopStarting} kept from starting. */
const NOT_STARTED: Omit<ObjectOutcome, 'key'> = {
  outcome: 'skipped',
  ops: [],
  message: 'interrupted: not started',
  code: 'E_INTERRUPTED',
};

/** `said`: the error's message as the user reads it (with the holder of a taken port). */
function toObjectOutcome(
  run: RunOutcome,
  said: (message: string, error: unknown) => string,
): Omit<ObjectOutcome, 'key'> {
  const error = run.error ? toBerthError(run.error) : undefined;
  const message = error ? said(error.message, run.error) : run.reason;
  const code = error?.code ?? (run.outcome === 'failed' ? 'E_CONVERGE' : undefined);
  const inUseBy = isEngineError(run.error, 'E_CONFLICT') ? run.error.detail?.usedBy : undefined;
  return {
    outcome: run.outcome,
    ops: run.ops,
    message,
    ...(code ? { code } : {}),
    ...(run.restarts ? { restarts: run.restarts } : {}),
    ...(run.retryAfterMs ? { retryAfterMs: run.retryAfterMs } : {}),
    ...(run.failedUpdate ? { failedUpdate: run.failedUpdate } : {}),
    ...(run.failedStep ? { failedStep: run.failedStep } : {}),
    ...(inUseBy?.length ? { inUseBy } : {}),
  };
}

/**
 * dependsOn with a condition: waits until each dependency meets it (DESIGN.md, Order).
 * Resolves undefined when all do; else with the error, and the `dependency` that does not
 * meet its condition in time (or never can), when that is the reason (not an engine fault).
 */
async function waitForDependsOn(
  p: ObjectPlan,
  options: ExecuteOptions,
  now: () => number,
): Promise<{ dependency?: ObjectKey; error: BerthError } | undefined> {
  // Only a container waits; an Image or Network of the same name (Image/web beside Container/web)
  // must not wait for that container's dependencies.
  if (p.kind !== 'Container' || p.desired === 'absent') return undefined;
  const declared = options.desired.find((o) => o.kind === 'Container' && o.name === p.name);
  if (declared?.kind !== 'Container') return undefined;
  for (const dep of declared.spec.dependsOn) {
    const depPlan = options.plan.objects.find((o) => o.key === `Container/${dep.container}`);
    if (!depPlan?.engineName) {
      const message = `dependency Container/${dep.container} is not planned`;
      return { error: new BerthError('E_INTERNAL', message) };
    }
    const target = { engineName: depPlan.engineName, key: depPlan.key };
    try {
      await waitForCondition(options.engine, target, dep.condition, options.deadline, now);
    } catch (e) {
      const error = toBerthError(e);
      // E_CONVERGE: the condition is not met; anything else is the engine's fault.
      return error.code === 'E_CONVERGE' ? { dependency: depPlan.key, error } : { error };
    }
  }
  return undefined;
}
