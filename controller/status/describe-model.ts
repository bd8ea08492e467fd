import type { DesiredObject } from '../../specs/model.js';
import type { EngineEvent } from '../engine/engine.js';
import type { HistoryEntry } from '../records/record-types.js';
import { iso } from './build-status.js';
import type { ObjectStatus } from './status-types.js';

/** One line of describe's Events: berth's own actions and the engine's events, merged. */
export interface DescribeEvent {
  time: string;
  source: 'berth' | 'engine';
  action: string;
  message: string;
}

/** The stable output of `berth describe -o json|yaml`. */
export interface DescribeOutput {
  status: ObjectStatus;
  /** The normalised declaration (labels and spec), null for an object no longer declared. */
  spec: { labels: Record<string, string>; spec: unknown; source: string; specHash: string } | null;
  events: DescribeEvent[];
}

/** Events shown at most, newest kept. */
export const EVENT_LIMIT = 20;

/**
 * Merges the history's steps for this object (or the applies themselves when they carry no
 * steps) with the engine's events for it, oldest first, keeping the newest EVENT_LIMIT.
 */
export function describeOutput(
  status: ObjectStatus,
  desired: DesiredObject | undefined,
  history: HistoryEntry[],
  engineEvents: EngineEvent[],
): DescribeOutput {
  const events: (DescribeEvent & { ms: number })[] = [];
  for (const entry of history) {
    const steps = entry.steps?.filter((s) => s.key === status.key) ?? [];
    for (const s of steps) {
      // A dependant its dependency's failure left alone says so in its cause (F663).
      const failed = s.failed && s.code !== 'E_DEPENDENCY' ? ' (failed)' : '';
      events.push({
        ms: s.time ?? entry.time,
        time: '',
        source: 'berth',
        action: s.action,
        message: s.cause + failed,
      });
    }
    if (!entry.steps) {
      events.push({
        ms: entry.time,
        time: '',
        source: 'berth',
        action: 'apply',
        message: applyMessage(entry),
      });
    }
  }
  for (const e of engineEvents.filter((e) => concerns(status, e))) {
    events.push({
      ms: e.time,
      time: '',
      source: 'engine',
      action: e.action,
      message: `${e.type} ${e.name ?? e.id}`,
    });
  }
  const ordered = collapseExec(
    events.sort((a, b) => a.ms - b.ms || a.source.localeCompare(b.source)),
  )
    .slice(-EVENT_LIMIT)
    .map(({ ms, ...rest }) => ({ ...rest, time: iso(ms) }));
  const known = withLastExit(status, engineEvents);
  return { status: known, spec: desired ? specOf(desired) : null, events: ordered };
}

/**
 * A container that stopped before (restarted since) but whose exit code the engine no longer
 * tells, because it runs again (a crash loop's short running moment resets State.ExitCode to
 * 0): the exit code of the engine's newest event of this very container that carries one
 * (Docker's `die`), which describe reads anyway. F805: describe said `Last exit code -` where
 * status had said 3 a second before.
 */
function withLastExit(status: ObjectStatus, engineEvents: EngineEvent[]): ObjectStatus {
  if (status.kind !== 'Container' || status.lastExitCode !== null || !status.restarts)
    return status;
  const died = engineEvents
    .filter((e) => e.type === 'container' && e.id === status.id && e.attributes?.exitCode)
    .reduce<EngineEvent | undefined>((a, e) => (a && a.time > e.time ? a : e), undefined);
  const code = Number(died?.attributes?.exitCode ?? NaN);
  if (!Number.isInteger(code)) return status;
  return { ...status, lastExitCode: code, exitCode: code };
}

type TimedEvent = DescribeEvent & { ms: number };

/**
 * Folds each run of the engine's `exec_*` events (a healthcheck makes three per probe) into
 * one line per action, `exec_create ×12`, at the time of the last one, so they do not push
 * everything else out of the newest EVENT_LIMIT.
 */
export function collapseExec(events: readonly TimedEvent[]): TimedEvent[] {
  const out: TimedEvent[] = [];
  let run = new Map<string, { last: TimedEvent; count: number }>();
  const flush = () => {
    for (const [action, { last, count }] of run)
      out.push({ ...last, action: count > 1 ? `${action} ×${count}` : action });
    run = new Map();
  };
  for (const e of events) {
    const action = e.source === 'engine' ? /^exec_\w+/.exec(e.action)?.[0] : undefined;
    if (!action) {
      flush();
      out.push(e);
      continue;
    }
    const seen = run.get(action);
    run.set(action, { last: e, count: (seen?.count ?? 0) + 1 });
  }
  flush();
  return out.sort((a, b) => a.ms - b.ms || a.source.localeCompare(b.source));
}

function applyMessage(entry: HistoryEntry): string {
  const detail = entry.message ? `: ${entry.message}` : '';
  return `${entry.outcome}${detail}`;
}

/** Engine events name containers and networks by id or name, volumes by name. */
function concerns(status: ObjectStatus, e: EngineEvent): boolean {
  const type = status.kind.toLowerCase();
  if (e.type !== type) return false;
  return (
    (status.id !== null && e.id === status.id) ||
    (status.engineName !== null && e.name === status.engineName)
  );
}

function specOf(o: DesiredObject): NonNullable<DescribeOutput['spec']> {
  return {
    labels: o.labels,
    spec: o.spec,
    source: `${o.source.file}:${o.source.line}:${o.source.column}`,
    specHash: o.specHash,
  };
}
