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
  if (wasInterpolated(from, fromKey)) rememberInterpolated(to, toKey);
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
 * String values that came out of `${…}` interpolation, keyed like the texts above. Compose
 * casts such values where its schema wants a number or boolean (`replicas: ${N:-2}`);
 * validation does the same for them, and only for them (a quoted "2" written by hand stays
 * a string and a schema error).
 */
const interpolated = new WeakMap<object, Set<string | number>>();

/** Records that `holder[key]` is the result of interpolating a `${…}` string. */
export function rememberInterpolated(holder: object, key: string | number): void {
  let keys = interpolated.get(holder);
  if (!keys) interpolated.set(holder, (keys = new Set()));
  keys.add(key);
}

/** True when `holder[key]` came out of interpolation (see rememberInterpolated). */
export function wasInterpolated(holder: object, key: string | number): boolean {
  return interpolated.get(holder)?.has(key) ?? false;
}
