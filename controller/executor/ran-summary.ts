import type { ObjectKey } from '../../specs/model.js';
import type { Plan, PlanStep } from '../plan/plan-types.js';
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

/**
 * Counts each object once, by the operations that actually ran on it: `create` on an object
 * that was absent is a creation, a `remove` of an object no longer declared a deletion, any
 * other operation a change. Failed and skipped objects are failures, whatever ran before.
 */
export function ranCounts(plan: Plan, outcomes: readonly ObjectOutcome[]): RanCounts {
  const counts: RanCounts = { created: 0, changed: 0, deleted: 0, unchanged: 0, failed: 0 };
  const byKey = new Map(plan.objects.map((p) => [p.key, p] as const));
  const touched = new Set<ObjectKey>();
  for (const o of outcomes) {
    const p = byKey.get(o.key);
    if (o.outcome === 'failed' || o.outcome === 'skipped') counts.failed++;
    else if (o.ops.length === 0) continue;
    else if (p?.desired === 'absent' && o.ops.includes('remove')) counts.deleted++;
    else if (p?.observed === 'absent' && (o.ops.includes('create') || o.ops.includes('pull')))
      counts.created++;
    else counts.changed++;
    touched.add(o.key);
  }
  counts.unchanged = plan.objects.filter((p) => !touched.has(p.key)).length;
  return counts;
}

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
        action: next?.action ?? 'converge',
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
