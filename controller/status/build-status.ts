import { KINDS, objectKey, type DesiredObject, type Kind } from '../../specs/model.js';
import type { ObjectKey } from '../../specs/model.js';
import type { ContainerDetails, ObservedState } from '../engine/engine.js';
import {
  controllerKind,
  NO_ENGINE_FACTS,
  type EngineFacts,
  type MatchedOf,
} from '../kinds/index.js';
import type { ObjectPlan, Plan } from '../plan/plan-types.js';
import { SCALED_TO_ZERO } from '../plan/plan-zero.js';
import type { AppliedStep, HistoryEntry } from '../records/record-types.js';
import { deriveConditions } from './conditions.js';
import { matchObserved, type MatchedObject } from './observed-match.js';
import { containerReadiness, type ContainerReadiness } from './readiness.js';
import type {
  DesiredSource,
  LastApplySummary,
  ObjectStatus,
  ProjectStatus,
} from './status-types.js';

export interface ProjectStatusInput {
  project: string;
  /** What the engine is compared against (the last applied set or the files). */
  desired: DesiredObject[];
  observed: ObservedState;
  /** The planner's verdict on `desired` against `observed` (with prune, to list leftovers). */
  plan: Plan;
  lastApply?: HistoryEntry;
  /** Inspected containers, matched by id; they add restart counts, exit codes and probe output. */
  details?: ContainerDetails[];
  /** berth's own restarts and the back-off it is waiting out, per container key. */
  berthRestarts?: (key: ObjectKey) => { restarts: number; backoffMs: number } | undefined;
  /**
   * A running controller's last failed reconcile of a key, still out of step since (F126: the
   * reason was only in its log; status said "not created yet"). Wins over the last apply's.
   */
  liveFailure?: (key: ObjectKey) => string | undefined;
  desiredSource?: DesiredSource;
  notice?: string;
  /** Unix ms; the only clock the model sees. */
  now: number;
}

/**
 * The project's status, built on the plan so that `status` and `plan` can never disagree:
 * an object is in sync exactly when its ObjectPlan says so, and its reason is the plan's.
 * Pure: same input, same output.
 */
export function buildProjectStatus(input: ProjectStatusInput): ProjectStatus {
  const desiredByKey = new Map(input.desired.map((o) => [objectKey(o), o] as const));
  const conflicts = [...input.plan.conflicts].sort((a, b) => a.key.localeCompare(b.key));
  const objects = input.plan.objects
    .map((p) =>
      objectStatus(
        input,
        p,
        desiredByKey.get(p.key),
        conflicts.find((c) => c.key === p.key)?.message,
      ),
    )
    .sort(byKindThenName);
  const declared = objects.filter((o) => o.declared);
  const outOfSync = declared.filter((o) => !o.inSync || o.conflict !== null).length;
  return {
    project: input.project,
    inSync: outOfSync === 0 && conflicts.length === 0 && input.desiredSource !== 'none',
    observedAt: iso(input.now),
    desiredSource: input.desiredSource ?? 'last-applied',
    notice: input.notice ?? null,
    counts: countByObserved(objects),
    outOfSync,
    lastApply: input.lastApply ? summariseApply(input.lastApply) : null,
    missing: declared
      .filter((o) => o.observed === 'absent' && o.desired !== SCALED_TO_ZERO)
      .map((o) => o.key),
    undeclared: objects.filter((o) => !o.declared).map((o) => o.key),
    conflicts: conflicts.map((c) => ({ key: c.key, engineName: c.engineName, message: c.message })),
    source: null,
    objects,
  };
}

/**
 * Whether a container's not-ready message is its reason: nothing is pending, or only the
 * restart its readiness explains (a stop and a start, no replace). F620: status without a
 * watch gave `unhealthy: restart`, the step's cause, and not the probe's output DESIGN.md
 * asks for; the step itself stays in pendingSteps and Progressing.
 */
function readinessExplains(plan: ObjectPlan): boolean {
  if (plan.steps.length === 0) return true;
  if (plan.container?.situation.replace !== false) return false;
  return plan.steps.every((s) => s.action === 'stop' || s.action === 'start');
}

function objectStatus(
  input: ProjectStatusInput,
  plan: ObjectPlan,
  desired: DesiredObject | undefined,
  conflict: string | undefined,
): ObjectStatus {
  const match = matchObserved(input.project, plan, desired, input.observed);
  const facts = engineFacts(match);
  const details =
    match?.kind === 'Container'
      ? input.details?.find((d) => d.id === match.container.id)
      : undefined;
  const readiness =
    match?.kind === 'Container'
      ? containerReadiness({
          container: match.container,
          details,
          berthRestarts: input.berthRestarts?.(plan.key)?.restarts,
          backoffMs: input.berthRestarts?.(plan.key)?.backoffMs,
          now: input.now,
        })
      : undefined;
  // Declared running but not ready (crash loop, back-off, unhealthy): out of sync for status (exit 3).
  const notReady =
    desired !== undefined &&
    plan.desired === 'running' &&
    !plan.completed &&
    readiness !== undefined &&
    !readiness.ready
      ? readiness
      : undefined;
  // Still out of step after the last apply failed on it: that failure is why (F93: status said
  // "not created yet" beside a network the engine had refused to create).
  const failed = plan.inSync
    ? undefined
    : input.lastApply?.steps?.find((s) => s.key === plan.key && s.failed);
  const live = plan.inSync ? undefined : input.liveFailure?.(plan.key);
  const lastFailure = live ?? (failed ? `last apply: ${failedStepText(failed)}` : undefined);
  const base = {
    kind: plan.kind,
    desired: plan.desired,
    observed: plan.observed,
    declared: desired !== undefined,
    inSync: plan.inSync && conflict === undefined && notReady === undefined,
    reason:
      (conflict === undefined && readinessExplains(plan) ? notReady?.message : undefined) ??
      lastFailure ??
      plan.reason ??
      plan.steps[0]?.cause ??
      conflict ??
      null,
    pendingSteps: plan.steps.map((s) => ({ action: s.action, cause: s.cause })),
    health: readiness?.health ?? null,
    exitCode: readiness?.lastExitCode ?? null,
    oomKilled: readiness?.oomKilled ?? null,
    restartCount: readiness?.restarts ?? null,
    conflict: conflict ?? null,
    ready: readiness?.ready ?? null,
  };
  return {
    project: input.project,
    key: plan.key,
    name: plan.name,
    engineName: plan.engineName ?? null,
    context: null,
    id: facts.id,
    ...base,
    restarts: readiness?.restarts ?? null,
    lastExitCode: readiness?.lastExitCode ?? null,
    oomKilled: readiness?.oomKilled ?? null,
    conditions: deriveConditions({
      ...base,
      notReady: notReadyVerdict(notReady),
      ...(lastFailure ? { lastFailure } : {}),
      completed: plan.completed === true,
      transitionTime: transitionTime(match, details, input),
    }),
    ports: facts.ports,
    networks: facts.networks,
    createdAt: facts.createdAt === null ? null : iso(facts.createdAt),
    ageSeconds:
      facts.createdAt === null
        ? null
        : Math.max(0, Math.floor((input.now - facts.createdAt) / 1000)),
    image: facts.image,
    imageId: facts.imageId,
    imageDigest: digestOf(facts.imageId, input.observed),
  };
}

/** What status shows of the matched engine object (controller/kinds/<kind>.ts). */
/**
 * A failed step of the last apply, as status says it: `start failed: …`; an object its
 * dependency's failure kept untouched says only that (`dependency Container/db failed: not
 * created`), since none of its own steps ran (F663).
 */
function failedStepText(step: AppliedStep): string {
  return step.code === 'E_DEPENDENCY' ? step.cause : `${step.action} failed: ${step.cause}`;
}

function engineFacts(match: MatchedObject): EngineFacts {
  return match ? factsOfKind(match) : NO_ENGINE_FACTS;
}

function factsOfKind<K extends Kind>(match: MatchedOf<K>): EngineFacts {
  return controllerKind<K>(match.kind).engineFacts(match);
}

function notReadyVerdict(r: ContainerReadiness | undefined) {
  return r?.reason ? { reason: r.reason, message: r.message ?? '' } : undefined;
}

function transitionTime(
  match: MatchedObject,
  details: ContainerDetails | undefined,
  input: ProjectStatusInput,
): string | null {
  if (!match) return input.lastApply ? iso(input.lastApply.time) : null;
  if (match.kind !== 'Container') return iso(createdAtOf(match));
  const state = match.container.state;
  const stopped = state === 'exited' || state === 'dead';
  const c = match.container;
  const when =
    (stopped ? (details?.finishedAt ?? c.finishedAt) : (details?.startedAt ?? c.startedAt)) ??
    c.createdAt;
  return iso(when);
}

function createdAtOf(match: Exclude<MatchedObject, undefined | { kind: 'Container' }>): number {
  if (match.kind === 'Network') return match.network.createdAt;
  if (match.kind === 'Volume') return match.volume.createdAt;
  return match.image.createdAt;
}

function digestOf(imageId: string | null, observed: ObservedState): string | null {
  if (!imageId) return null;
  return observed.images.find((i) => i.id === imageId)?.repoDigests[0] ?? null;
}

function countByObserved(objects: ObjectStatus[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of objects) counts[o.observed] = (counts[o.observed] ?? 0) + 1;
  return counts;
}

function summariseApply(entry: HistoryEntry): LastApplySummary {
  return {
    // A re-run that had nothing to do is counted on its entry (F275): the last apply is it.
    time: iso(entry.repeats?.lastTime ?? entry.time),
    sources: entry.sources,
    commit: entry.commit ?? null,
    outcome: entry.outcome,
    durationMs: entry.durationMs,
  };
}

function byKindThenName(
  a: { kind: string; name: string },
  b: { kind: string; name: string },
): number {
  const rank = (k: string) => KINDS.indexOf(k as (typeof KINDS)[number]);
  return rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name);
}

/** RFC 3339 in UTC, whole seconds (as the engine and kubectl print them). */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
