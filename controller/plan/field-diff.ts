/**
 * Field-level differences between two normalised specs, for `berth diff`: one line per
 * changed leaf, `env.MODE: "a" → "b"`, `ports[0]: {…} → {…}`. Mappings are compared by key,
 * lists by index; values print as JSON. Deterministic: keys in sorted order.
 */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isPlain(before) && isPlain(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => fieldChanges(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) =>
      fieldChanges(before[i], after[i], `${path}[${i}]`),
    ).flat();
  }
  return [{ path, before, after }];
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `path: before → after`, `(none)` for an absent side; secret values become `(changed)`. */
export function formatFieldChange(change: FieldChange, secret: boolean): string {
  if (secret) return `${change.path}: (changed)`;
  const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
  return `${change.path}: ${show(change.before)} → ${show(change.after)}`;
}
