import { blankVariables } from '../interpolate/resolve.js';
import type { BlankVariable, VariableLookup } from '../interpolate/resolve.js';

/**
 * The source text of YAML numbers and booleans, kept beside the plain value (issue 19
 * item 1): `VERSION: 1.10` reads as the number 1.1, but where berth turns such a value
 * into a string (env, labels, options, build args, sysctls…) it must be `1.10`, as written.
 * Only scalars whose text differs from `String(value)` are recorded, so the table stays
 * tiny; it is keyed by the plain object or array that holds the value.
 */
const texts = new WeakMap<object, Map<string | number, string>>();

/** Records that `holder[key]` was written as `text`. */
export function rememberText(holder: object, key: string | number, text: string): void {
  let table = texts.get(holder);
  if (!table) texts.set(holder, (table = new Map()));
  table.set(key, text);
}

/** Copies the records of `from[fromKey]` to `to[toKey]` (merge keys, derived maps). */
export function copyText(
  from: object,
  fromKey: string | number,
  to: object,
  toKey: string | number,
): void {
  const text = texts.get(from)?.get(fromKey);
  if (text !== undefined) rememberText(to, toKey, text);
  const record = interpolated.get(from);
  if (record?.has(fromKey)) {
    const { template, lookup } = record.get(fromKey) ?? {};
    rememberInterpolated(to, toKey, template, lookup);
  }
}

/**
 * `holder[key]` as a string: a string as it is, a YAML number or boolean as it was
 * written (`0755`, `1.10`, `True`), anything else through `String`.
 */
export function scalarString(holder: object, key: string | number): string {
  const value = (holder as Record<string | number, unknown>)[key];
  if (typeof value === 'string') return value;
  return texts.get(holder)?.get(key) ?? String(value);
}

/**
 * String values that came out of `${…}` interpolation, keyed like the texts above, with the
 * text as written and the variables it was read with. Compose casts such values where its
 * schema wants a number or boolean (`replicas: ${N:-2}`); validation does the same for
 * them, and only for them (a quoted "2" written by hand stays a string and a schema error).
 * A blank one may mean "not given" (validate/blank-values.ts), and messages name the
 * variables that made it blank (`blankVariablesAt`, worked out only when asked).
 */
interface Interpolated {
  template: string;
  lookup: VariableLookup;
}
const interpolated = new WeakMap<object, Map<string | number, Interpolated | undefined>>();

/** How many values this process recorded as interpolated (see anyInterpolated). */
let interpolations = 0;

/**
 * Whether any value read so far came out of interpolation: when none did, no value can be
 * blank from a variable, and the walks that look for such values are skipped (issue 12/18:
 * validate of 1,000 objects).
 */
export function anyInterpolated(): boolean {
  return interpolations > 0;
}

/** Records that `holder[key]` is the result of interpolating `template` with `lookup`. */
export function rememberInterpolated(
  holder: object,
  key: string | number,
  template?: string,
  lookup?: VariableLookup,
): void {
  interpolations++;
  let keys = interpolated.get(holder);
  if (!keys) interpolated.set(holder, (keys = new Map()));
  keys.set(key, template !== undefined && lookup ? { template, lookup } : undefined);
}

/** True when `holder[key]` came out of interpolation (see rememberInterpolated). */
export function wasInterpolated(holder: object, key: string | number): boolean {
  return interpolated.get(holder)?.has(key) ?? false;
}

/** The variables whose blank value made (part of) the interpolated `holder[key]` blank. */
export function blankVariablesAt(holder: object, key: string | number): BlankVariable[] {
  const record = interpolated.get(holder)?.get(key);
  return record ? blankVariables(record.template, record.lookup) : [];
}
