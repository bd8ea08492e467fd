import type { ObjectStatus } from '../../status/status-types.js';
import { formatAge, paint, renderTable, type Column } from './table.js';
import { SCALED_TO_ZERO } from '../../plan/plan-zero.js';

export interface GetTableOptions {
  /** `wide` adds ID, IMAGE, PORTS, NETWORKS and drops the width limit. */
  wide: boolean;
  /** Columns to fit (the terminal's width); 80 when not given. */
  width?: number;
  color: boolean;
  /** Adds a PROJECT column (`get --all-projects`). */
  withProject?: boolean;
}

/** The `berth get` table: NAME KIND DESIRED ACTUAL READY RESTARTS AGE (kubectl habits). */
export function formatGetTable(objects: ObjectStatus[], options: GetTableOptions): string {
  if (objects.length === 0) return 'No objects found.\n';
  const columns: Column<ObjectStatus>[] = [
    ...(options.withProject
      ? [{ header: 'PROJECT', value: (o: ObjectStatus) => o.project, shrink: true }]
      : []),
    { header: 'NAME', value: (o) => o.name, shrink: true },
    { header: 'KIND', value: (o) => o.kind },
    { header: 'DESIRED', value: (o) => o.desired },
    { header: 'ACTUAL', value: (o) => o.observed, paint: paintActual },
    { header: 'READY', value: readyText },
    { header: 'RESTARTS', value: restartsText },
    { header: 'AGE', value: (o) => formatAge(o.ageSeconds) },
  ];
  // A set spanning engines (spec.placement.context): which engine each row is on.
  if (objects.some((o) => o.context !== null)) {
    columns.splice(options.withProject ? 2 : 1, 0, {
      header: 'CONTEXT',
      value: (o: ObjectStatus) => o.context ?? '-',
    });
  }
  if (options.wide) {
    columns.push(
      { header: 'ID', value: (o) => shortId(o.id) },
      { header: 'IMAGE', value: (o) => o.image ?? '-' },
      { header: 'PORTS', value: (o) => o.ports.join(',') || '-' },
      { header: 'NETWORKS', value: (o) => o.networks.join(',') || '-' },
    );
  }
  return renderTable(columns, objects, {
    maxWidth: options.wide ? undefined : (options.width ?? 80),
    color: options.color,
  });
}

/**
 * 'yes' when the Ready condition is True, 'no' when False, '-' when unknown; `0/0` for a
 * container declared with `replicas: 0` that has none (kubectl's READY of a deployment).
 */
export function readyText(o: ObjectStatus): string {
  const ready = o.conditions.find((c) => c.type === 'Ready')?.status;
  if (o.desired === SCALED_TO_ZERO && ready === 'True') return '0/0';
  return ready === 'True' ? 'yes' : ready === 'False' ? 'no' : '-';
}

/** A container's restarts as a number (`0` when it has none yet); `-` for other kinds. */
export function restartsText(o: ObjectStatus): string {
  return o.kind === 'Container' ? String(o.restarts ?? 0) : '-';
}

/** Green when in sync, red when not, yellow for leftovers no longer declared. */
export function paintActual(text: string, o: ObjectStatus): string {
  if (!o.declared) return paint(text, 'yellow');
  return paint(text, o.inSync ? 'green' : 'red');
}

/** The first 12 hex digits of an engine id, as `docker ps` shows them; names stay whole. */
export function shortId(id: string | null): string {
  if (!id) return '-';
  const hex = id.replace(/^sha256:/, '');
  return /^[0-9a-f]{64}$/.test(hex) ? hex.slice(0, 12) : id;
}
