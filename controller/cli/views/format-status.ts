import { paintActual, restartsText, shortId } from './format-get.js';
import type { LastApplySummary, ProjectStatus } from '../../status/status-types.js';
import { formatAge, paint, renderTable, type Column } from './table.js';
import { visibleText } from '../../../specs/visible-text.js';
import type { ObjectStatus } from '../../status/status-types.js';

/**
 * `berth status`: a header saying whether the project is in sync and what it was compared
 * against, then one row per object with its reason. Fits `width` columns (the terminal's;
 * 80 when not given) unless `wide`; the REASON column gives up what does not fit.
 */
export function formatStatus(
  status: ProjectStatus,
  options: { wide: boolean; color: boolean; width?: number; fromController?: boolean },
): string {
  const width = options.width ?? 80;
  const lines = [
    `Project:      ${status.project}`,
    `In sync:      ${syncLine(status, options.color)}`,
  ];
  lines.push(`Compared to:  ${comparedTo(status, options.fromController === true)}`);
  if (status.lastApply) lines.push(`Last apply:   ${applyLine(status.lastApply)}`);
  if (status.source) lines.push(`Source:       ${sourceLine(status.source)}`);
  if (status.notice) lines.push(`Notice:       ${status.notice}`);
  for (const c of status.conflicts) lines.push(`Conflict:     ${c.key}: ${c.message}`);
  if (status.missing.length) lines.push(`Missing:      ${status.missing.join(', ')}`);
  if (status.undeclared.length) lines.push(`Not declared: ${status.undeclared.join(', ')}`);
  const body = status.objects.length
    ? '\n' + statusTable(status.objects, { ...options, width })
    : '';
  // Notices, conflicts and git errors carry engine text: shown, never sent (F277). The
  // In sync line is ours and may be painted.
  const shown = lines.map((l, i) => (i === 1 ? l : visibleText(l)));
  const header = options.wide ? shown : shown.flatMap((l) => wrap(l, width, LABEL_WIDTH));
  return header.join('\n') + '\n' + body;
}

const LABEL_WIDTH = 14;

/** `git URL@ref/path at abc1234: ready` or `…: not ready (3 failures): why`. */
function sourceLine(source: NonNullable<ProjectStatus['source']>): string {
  const at = source.revision ? ` at ${source.revision.slice(0, 7)}` : '';
  const where = `git ${source.url}@${source.ref}${source.path === '.' ? '' : `:${source.path}`}${at}`;
  const ready = source.conditions.find((c) => c.type === 'SourceReady');
  if (!ready || ready.status === 'True') return `${where}: ready`;
  const failures = ready.consecutiveFailures ? ` (${ready.consecutiveFailures} failed checks)` : '';
  return `${where}: not ready${failures}: ${ready.message}`;
}

/** Breaks a long header line at spaces, continuing under its value. */
function wrap(line: string, width: number, indent: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    if (cut <= indent) break;
    out.push(rest.slice(0, cut));
    rest = ' '.repeat(indent) + rest.slice(cut + 1);
  }
  out.push(rest);
  return out;
}

function statusTable(
  objects: ObjectStatus[],
  options: { wide: boolean; color: boolean; width: number },
): string {
  const columns: Column<ObjectStatus>[] = [
    { header: 'OBJECT', value: (o) => o.key, shrink: true },
    { header: 'DESIRED', value: (o) => o.desired },
    { header: 'ACTUAL', value: (o) => o.observed, paint: paintActual },
    { header: 'SYNC', value: (o) => (o.declared ? (o.inSync ? 'yes' : 'no') : '-') },
  ];
  if (options.wide) {
    columns.push(
      { header: 'CONTEXT', value: (o) => o.context ?? '-' },
      { header: 'RESTARTS', value: restartsText },
      { header: 'EXIT', value: (o) => (o.lastExitCode === null ? '-' : String(o.lastExitCode)) },
      { header: 'HEALTH', value: (o) => o.health ?? '-' },
      { header: 'AGE', value: (o) => formatAge(o.ageSeconds) },
      { header: 'ID', value: (o) => shortId(o.id) },
    );
  }
  columns.push({ header: 'REASON', value: (o) => o.reason ?? '', shrink: true });
  return renderTable(columns, objects, {
    maxWidth: options.wide ? undefined : options.width,
    color: options.color,
  });
}

function syncLine(status: ProjectStatus, color: boolean): string {
  const declared = status.objects.filter((o) => o.declared).length;
  const text = status.inSync
    ? `yes (${declared} object${declared === 1 ? '' : 's'})`
    : status.desiredSource === 'none'
      ? 'unknown (nothing to compare against)'
      : status.outOfSync === 0 && status.notice
        ? 'no (see Notice)'
        : `no (${status.outOfSync} of ${declared} declared object${declared === 1 ? '' : 's'} out of sync)`;
  if (!color) return text;
  return paint(text, status.inSync ? 'green' : 'red');
}

/** `fromController`: the status came from a running `berth watch`, whose files are its source. */
function comparedTo(status: ProjectStatus, fromController: boolean): string {
  if (status.desiredSource === 'files' && fromController)
    return status.source
      ? 'the git source of the running berth watch'
      : 'the folder of the running berth watch';
  if (status.desiredSource === 'files') return 'the files given with -f';
  if (status.desiredSource === 'none') return 'nothing (no apply recorded)';
  return 'the last applied set';
}

/** `2024-05-01T11:00:00Z converged in 1.2s from /srv/app (commit abc1234)`. */
export function applyLine(apply: LastApplySummary): string {
  const commit = apply.commit ? ` (commit ${apply.commit.slice(0, 7)})` : '';
  const from = apply.sources.length ? ` from ${apply.sources.join(', ')}` : '';
  return `${apply.time} ${apply.outcome} in ${formatDuration(apply.durationMs)}${from}${commit}`;
}

/** 850ms, 1.2s, 3m4s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${s % 60}s`;
}
