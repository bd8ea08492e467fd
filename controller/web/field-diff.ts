import type { FieldChange } from './view-types.js';

/** More changes than this are cut; the detail panel is for people, not for patches. */
const MAX_CHANGES = 50;

/**
 * The leaves that differ between two JSON values, as dotted paths (`spec.env.VALUE`), in
 * key order. Arrays are compared whole (a reordered `args` is one change, shown as the two
 * lists). Pure; at most MAX_CHANGES entries.
 */
export function fieldDiff(before: unknown, after: unknown, path = ''): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, path, out);
  return out.slice(0, MAX_CHANGES);
}

function walk(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (out.length >= MAX_CHANGES) return;
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], path ? `${path}.${key}` : key, out);
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  out.push({
    path: path || '.',
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
