import type { DesiredObject } from '../../specs/model.js';
import { historyMessage } from '../records/history-fold.js';
import type { HistoryEntry } from '../records/record-types.js';
import type { ObjectStatus, ProjectStatus } from '../status/status-types.js';
import { fieldDiff } from './field-diff.js';
import type { FieldChange, ViewHistoryEntry, ViewProject, ViewRow } from './view-types.js';

/** What one row is built from: the object's status, its declaration, and what was applied. */
export interface RowInput {
  status: ObjectStatus;
  declared?: DesiredObject;
  /** The object as last applied (what runs now), when the records have it. */
  applied?: DesiredObject;
}

/**
 * One object as a row of the web view. Pure. The diff, shown only when out of sync, is the
 * declared state against the observed one, then the declared spec against the last applied
 * spec (berth keeps no copy of the running spec beyond its hashes; the record is the next best).
 */
export function toRow({ status, declared, applied }: RowInput): ViewRow {
  return {
    key: status.key,
    kind: status.kind,
    name: status.name,
    context: status.context,
    desired: status.desired,
    actual: status.observed,
    sync: syncWord(status),
    ready: readyWord(status),
    restarts: restartsOf(status),
    reason: status.reason,
    health: status.health,
    image: status.image,
    spec: declared ? declaredSpec(declared) : null,
    diff: status.inSync ? [] : diffOf(status, declared, applied),
  };
}

function syncWord(s: ObjectStatus): string {
  if (s.conflict) return 'Conflict';
  if (!s.declared) return 'Undeclared';
  return s.inSync ? 'Synced' : 'OutOfSync';
}

/**
 * `yes`/`no` for containers, `-` for other kinds. Uses the status's own `ready` when it has
 * one (DESIGN.md "Readiness"), else running and not unhealthy/starting.
 */
function readyWord(s: ObjectStatus): string {
  if (s.kind !== 'Container') return '-';
  const own = (s as { ready?: unknown }).ready;
  if (typeof own === 'boolean') return own ? 'yes' : 'no';
  const healthy = s.health === null || s.health === 'healthy' || s.health === 'none';
  return s.observed === 'running' && healthy ? 'yes' : 'no';
}

/** `restarts` (second-wave status) when present, else the engine's restart count. */
function restartsOf(s: ObjectStatus): number | null {
  const own = (s as { restarts?: unknown }).restarts;
  if (typeof own === 'number') return own;
  return s.kind === 'Container' ? (s.restartCount ?? 0) : null;
}

function declaredSpec(o: DesiredObject): unknown {
  return 'spec' in o ? o.spec : null;
}

function diffOf(s: ObjectStatus, declared?: DesiredObject, applied?: DesiredObject): FieldChange[] {
  const state: FieldChange[] =
    s.observed === s.desired ? [] : [{ path: 'state', before: s.observed, after: s.desired }];
  if (!declared || !applied) return state;
  return [...state, ...fieldDiff(declaredSpec(applied), declaredSpec(declared), 'spec')];
}

/** The project line of the page; `engine` names the engine the watch runs against. */
export function toProject(
  status: ProjectStatus,
  engineReachable: boolean,
  engine?: string,
): ViewProject {
  return {
    project: status.project,
    inSync: status.inSync,
    engineReachable,
    engine: engine ?? null,
    notice: status.notice,
    observedAt: status.observedAt,
  };
}

/** History, newest first, as the page shows it. */
export function toHistory(entries: HistoryEntry[]): ViewHistoryEntry[] {
  return entries.map((e) => ({
    id: e.id ?? null,
    restorable: Boolean(e.id && e.objects?.length),
    time: e.time,
    outcome: e.outcome,
    commit: e.commit ?? null,
    subject: e.subject ?? null,
    author: e.author ?? null,
    sources: e.sources,
    message: historyMessage(e) ?? null,
    // Each count on its own (F465: created + changed + deleted were all called "changed").
    created: e.counts.created,
    changed: e.counts.changed,
    deleted: e.counts.deleted,
    failed: e.counts.failed,
    summary: countsInWords(e.counts),
  }));
}

/** `7 created`, `1 changed, 1 deleted, 1 failed`; `nothing changed` when all are 0. Pure. */
export function countsInWords(counts: HistoryEntry['counts']): string {
  const parts = (['created', 'changed', 'deleted', 'failed'] as const)
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${k}`);
  return parts.length ? parts.join(', ') : 'nothing changed';
}
