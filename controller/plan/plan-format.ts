import type { ObjectPlan, Plan, PlanStep } from './plan-types.js';
import { SCALED_TO_ZERO } from './plan-zero.js';

/**
 * Objects that need work, counted by what happens to them: deleted when it is no longer
 * declared (or scaled to 0 replicas), created when the engine lacks it, else changed —
 * whatever its first step is (F465: a declared container whose plan began by removing an
 * update's `-next` leftover was counted "1 to delete", its replacement not at all).
 */
export function planSummary(plan: Plan): {
  create: number;
  change: number;
  delete: number;
  blocked: number;
} {
  const counts = { create: 0, change: 0, delete: 0, blocked: 0 };
  for (const o of plan.objects) {
    const first = o.steps[0];
    if (!first) {
      if (!o.inSync) counts.blocked++;
      continue;
    }
    counts[fate(o, first)]++;
  }
  return counts;
}

function fate(o: ObjectPlan, first: PlanStep): 'create' | 'change' | 'delete' {
  if (o.desired === 'absent' || o.desired === SCALED_TO_ZERO) return 'delete';
  return o.observed === 'absent' || first.symbol === '+' ? 'create' : 'change';
}

/**
 * Whether the engine differs from the declaration in a way apply would act on: a step to run,
 * or a conflict that blocks one (an engine name, or an update's temporary name, held by a
 * container berth does not own: F168). `plan --exit-code` and `diff` exit 2 then. An object
 * berth leaves as it is on purpose (an exited `restartPolicy: Never` job) is no change.
 */
export function hasChanges(plan: Plan): boolean {
  return plan.objects.some((o) => o.steps.length > 0) || plan.conflicts.length > 0;
}

/**
 * The declared objects a name conflict blocks (plan.ts blockedByConflict, update-names-taken.ts):
 * no step, out of sync, a conflict of their key. The one-shot apply refuses before any change
 * while there is one (F815); the watch converges the rest around them.
 */
export function blockedByConflicts(plan: Pick<Plan, 'objects' | 'conflicts'>): ObjectPlan[] {
  const conflicted = new Set(plan.conflicts.map((c) => c.key));
  return plan.objects.filter((o) => conflicted.has(o.key) && o.steps.length === 0 && !o.inSync);
}

/**
 * `N object(s) no longer declared … left on the engine`: what a plan without `--prune` leaves
 * (F551), for the summary lines that would otherwise say the engine matches the manifests.
 */
export function orphansLeft(plan: Plan): string {
  const n = plan.orphans?.length ?? 0;
  return n === 1
    ? '1 object no longer declared is left on the engine'
    : `${n} objects no longer declared are left on the engine`;
}

function stepLine(s: PlanStep, width: number): string {
  const what = s.target ? `${s.action} ${s.target}` : s.action;
  return `${s.symbol} ${s.key.padEnd(width)}  ${what.padEnd(12)}  ${s.cause}`;
}

/**
 * The plan as people read it: one line per engine operation, in the order apply runs
 * them, each with its cause; objects that cannot be brought in line with `!`. Stable:
 * no timestamps, no ids, so tests compare it to a golden string.
 */
export function formatPlan(plan: Plan): string {
  const steps = plan.objects.flatMap((o) => o.steps);
  const blocked = plan.objects.filter((o) => o.steps.length === 0 && !o.inSync);
  const width = Math.max(
    0,
    ...[...steps.map((s) => s.key), ...blocked.map((o) => o.key)].map((k) => k.length),
  );
  const lines = [...steps.map((s) => stepLine(s, width))];
  for (const o of blocked) lines.push(`! ${o.key.padEnd(width)}  ${o.reason ?? 'out of sync'}`);
  const c = planSummary(plan);
  if (steps.length === 0 && blocked.length === 0 && plan.orphans) {
    lines.push(
      `Project ${plan.project}: no changes to the declared objects; ${orphansLeft(plan)}.`,
    );
  } else if (steps.length === 0 && blocked.length === 0) {
    lines.push(`Project ${plan.project}: no changes; the engine matches the manifests.`);
  } else {
    const extra = c.blocked ? `, ${c.blocked} blocked` : '';
    // apply refuses the whole plan then (F815): the counts are not what it would do.
    const refused =
      blockedByConflicts(plan).length > 0
        ? '; apply refuses to change anything while a name conflict blocks an object'
        : '';
    lines.push(
      `Project ${plan.project}: ${c.create} to create, ${c.change} to change, ${c.delete} to delete${extra}${refused}.`,
    );
  }
  return lines.join('\n') + '\n';
}

/** `-o json`: the plan's objects that need work, and every step. */
export function planJson(plan: Plan): unknown {
  return {
    project: plan.project,
    summary: planSummary(plan),
    steps: plan.objects.flatMap((o) => o.steps),
    objects: plan.objects.filter((o) => !o.inSync || o.steps.length > 0),
    conflicts: plan.conflicts,
    ...(plan.orphans && { orphans: plan.orphans.map((o) => o.key) }),
  };
}
