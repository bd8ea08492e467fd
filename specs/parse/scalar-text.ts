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

/** Copies the record of `from[fromKey]` to `to[toKey]` (merge keys, derived maps). */
export function copyText(
  from: object,
  fromKey: string | number,
  to: object,
  toKey: string | number,
): void {
  const text = texts.get(from)?.get(fromKey);
  if (text !== undefined) rememberText(to, toKey, text);
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
