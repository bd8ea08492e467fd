import type { ObjectKey } from '../../specs/model.js';
import type { ObjectPlan, Plan, PlanStep } from '../plan/plan-types.js';
import { SCALED_TO_ZERO } from '../plan/plan-zero.js';
import type { AppliedStep } from '../records/record-types.js';
import type { ObjectOutcome } from './execute.js';

/** What an apply did, counted from what ran (not from what was planned). */
export interface RanCounts {
  created: number;
  changed: number;
  deleted: number;
  unchanged: number;
  failed: number;
}

/** What one object's run did: counted once per object in history and summaries. */
export type RanEffect = 'created' | 'changed' | 'deleted' | 'failed' | 'unchanged';

/**
 * What the operations that actually ran did to one object (`p`: its plan entry): a failed or
 * skipped object is a failure, whatever ran before, except one an interrupt kept from
 * starting (unchanged); any operation on an object that was
 * absent (create, pull, build, tag) created it; a `remove` of an object no longer declared
 * (or declared with `replicas: 0`) deleted it; any other operation changed it; none left it
 * unchanged. The one rule `apply`'s summary and history and `berth watch`'s history count
 * by. Pure.
 */
export function ranEffect(p: ObjectPlan | undefined, o: ObjectOutcome): RanEffect {
  // Kept from starting by Ctrl-C (or the deadline): never touched, so no failure of its own;
  // the summary's `skipped, its turn had not come` and the history's failed step say it was left (F640).
  if (o.outcome === 'skipped' && o.code === 'E_INTERRUPTED' && o.ops.length === 0)
    return 'unchanged';
  if (o.outcome === 'failed' || o.outcome === 'skipped') return 'failed';
  if (o.ops.length === 0) return 'unchanged';
  if (goes(p?.desired) && o.ops.includes('remove')) return 'deleted';
  if (p?.observed === 'absent') return 'created';
  return 'changed';
}

/**
 * One object run more than once for one change (`berth watch` reconciles it again): it ends
 * failed when its last run failed, else it counts as the first thing done to it (created,
 * then restarted, is created). Pure.
 */
export function laterEffect(before: RanEffect | undefined, after: RanEffect): RanEffect {
  if (after === 'failed' || before === undefined) return after;
  if (before === 'unchanged' || before === 'failed') return after === 'unchanged' ? before : after;
  return before;
}

/** What the runs of one object did while one change settled (`berth watch`): for history. */
export interface RanTally {
  effect: RanEffect;
  /** The steps those runs took ({@link ranSteps}); a failed one only while the object failed. */
  steps: AppliedStep[];
}

/** The most steps a tally keeps per object (a crash-looping one is run again and again). */
const TALLY_STEPS = 20;

/**
 * One more run of an object folded into its tally: the effect by {@link laterEffect}, and the
 * steps as apply records them, a failure kept only while the effect is `failed` (the latest
 * run's failure replaces an earlier one), so `history -o json` gives watch's failures the
 * reasons apply's have (F622). Pure.
 */
export function laterRun(
  before: RanTally | undefined,
  effect: RanEffect,
  steps: readonly AppliedStep[],
): RanTally {
  const after = laterEffect(before?.effect, effect);
  const failsNow = steps.some((s) => s.failed);
  const keepOld = (s: AppliedStep) => !s.failed || (after === 'failed' && !failsNow);
  const kept = (before?.steps ?? []).filter(keepOld);
  const fresh = after === 'failed' ? steps : steps.filter((s) => !s.failed);
  return { effect: after, steps: [...kept, ...fresh].slice(-TALLY_STEPS) };
}

/** Counts per effect; `total` objects in the set, of which those without one are unchanged. */
export function countEffects(effects: Iterable<RanEffect>, total: number): RanCounts {
  const counts: RanCounts = { created: 0, changed: 0, deleted: 0, unchanged: 0, failed: 0 };
  let touched = 0;
  for (const effect of effects) {
    if (effect === 'unchanged') continue;
    counts[effect]++;
    touched++;
  }
  counts.unchanged = Math.max(0, total - touched);
  return counts;
}

/** What an apply did, each object counted once by {@link ranEffect}. */
export function ranCounts(plan: Plan, outcomes: readonly ObjectOutcome[]): RanCounts {
  const byKey = new Map(plan.objects.map((p) => [p.key, p] as const));
  const effects = new Map<ObjectKey, RanEffect>();
  for (const o of outcomes)
    effects.set(o.key, laterEffect(effects.get(o.key), ranEffect(byKey.get(o.key), o)));
  return countEffects(effects.values(), plan.objects.length);
}

/** Declared nowhere any more, or declared with `replicas: 0`: its removal is a deletion. */
const goes = (desired: string | undefined) => desired === 'absent' || desired === SCALED_TO_ZERO;

/**
 * The steps that ran, in order, for the history: each with the cause the plan gave it, and
 * for an object that failed one more entry saying so, with the error code. Planned steps that
 * never ran are not recorded: `describe` must never show an action that did not happen.
 */
export function ranSteps(
  plan: Plan,
  outcomes: readonly ObjectOutcome[],
  time: number,
): AppliedStep[] {
  const byKey = new Map(plan.objects.map((p) => [p.key, p] as const));
  return outcomes.flatMap((o) => {
    const planned = [...(byKey.get(o.key)?.steps ?? [])];
    const steps: AppliedStep[] = o.ops.map((op) => {
      const [action, target] = op.split(' ');
      const match = takeStep(planned, action ?? op, target);
      return { key: o.key, action: op, cause: match?.cause ?? 'decided at run time', time };
    });
    if (o.outcome === 'failed' || o.outcome === 'skipped') {
      const next = planned[0];
      steps.push({
        key: o.key,
        action: o.failedStep ?? next?.action ?? 'converge',
        cause: o.message ?? next?.cause ?? 'failed',
        time,
        failed: true,
        code: o.code ?? 'E_CONVERGE',
      });
    }
    return steps;
  });
}

function takeStep(planned: PlanStep[], action: string, target?: string): PlanStep | undefined {
  const i = planned.findIndex((s) => s.action === action && (!target || s.target === target));
  return i < 0 ? undefined : planned.splice(i, 1)[0];
}
