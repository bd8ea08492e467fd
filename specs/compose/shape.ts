import { ComposeInputError, isRecord, whereKey, whereNode } from './located.js';
import type { Where } from './located.js';

/**
 * The kind of value a place in a Compose file takes, as the compose-spec JSON schema types it
 * (compose-shapes.ts holds the table). Only the structure is checked — a mapping or list where
 * a scalar belongs, a scalar or list where a mapping belongs — never which scalar: import reads
 * `user: 1000` or `cpus: "0.5"` as Compose's loader does after interpolation, and the values
 * themselves are checked where they are converted (value-checks.ts, values.ts).
 */
export type Shape =
  | { kind: 'scalar'; text: string }
  | { kind: 'list'; items: Shape }
  | { kind: 'map'; values: Shape }
  | { kind: 'fields'; fields: Readonly<Record<string, Shape>> }
  | { kind: 'oneOf'; options: readonly Shape[] }
  | { kind: 'any' };

/** A string, a number, true or false: `text` is how a message names what belongs there. */
export const scalar = (text: string): Shape => ({ kind: 'scalar', text });
/** A list whose every item is `items`. */
export const list = (items: Shape): Shape => ({ kind: 'list', items });
/** A mapping with any keys, each value `values`. */
export const map = (values: Shape): Shape => ({ kind: 'map', values });
/** A mapping with known keys (others, `x-` extensions included, are not checked here). */
export const fields = (known: Record<string, Shape>): Shape => ({ kind: 'fields', fields: known });
/** One of several shapes, chosen by the kind of value written (scalar, list or mapping). */
export const oneOf = (...options: Shape[]): Shape => ({ kind: 'oneOf', options });
/** Anything. */
export const ANY: Shape = { kind: 'any' };

/**
 * Throws ComposeInputError at the first value of `value` (at `path`, `parent[key]`) whose kind
 * `shape` does not allow: `compose.yaml:4:11: services.w.user: must be a string`, at the
 * value when it is a mapping or list, else at its key. null is allowed everywhere (an empty
 * key: Compose reads it as unset). Checked on the file as written, before normalising.
 */
export function checkShape(value: unknown, shape: Shape, path: string, at: () => Where): void {
  if (value === null || value === undefined || shape.kind === 'any') return;
  const chosen = shape.kind === 'oneOf' ? shape.options.find((s) => fits(value, s)) : shape;
  if (!chosen || !fits(value, chosen))
    throw new ComposeInputError(whereNode(value) ?? at(), `${path}: must be ${describe(shape)}`);
  if (chosen.kind === 'list' && Array.isArray(value))
    value.forEach((item, i) =>
      checkShape(item, chosen.items, `${path}[${i}]`, () => whereKey(value, i) ?? at()),
    );
  if (!isRecord(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const sub = chosen.kind === 'map' ? chosen.values : fieldShape(chosen, key);
    const below = path ? `${path}.${key}` : key;
    if (sub) checkShape(item, sub, below, () => whereKey(value, key) ?? at());
  }
}

function fieldShape(shape: Shape, key: string): Shape | undefined {
  return shape.kind === 'fields' && Object.hasOwn(shape.fields, key)
    ? shape.fields[key]
    : undefined;
}

/** Whether `value`'s kind (scalar, list, mapping) is the one `shape` takes. */
function fits(value: unknown, shape: Shape): boolean {
  switch (shape.kind) {
    case 'scalar':
      return typeof value !== 'object';
    case 'list':
      return Array.isArray(value);
    case 'map':
    case 'fields':
      return isRecord(value);
    case 'oneOf':
      return shape.options.some((s) => fits(value, s));
    case 'any':
      return true;
  }
}

/** What a message says belongs where `shape` is: `a string or a mapping`. */
function describe(shape: Shape): string {
  switch (shape.kind) {
    case 'scalar':
      return shape.text;
    case 'list':
      return 'a list';
    case 'map':
    case 'fields':
      return 'a mapping';
    case 'oneOf':
      return [...new Set(shape.options.map(describe))].join(' or ');
    case 'any':
      return 'anything';
  }
}
