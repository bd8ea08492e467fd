import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level (by UTF-16 code units, as `Array.sort` orders
 * strings) and undefined members dropped; an undefined array item is `null`, as in JSON.
 * Every spec hash is taken over this text, so its output must never change (a changed byte
 * recreates every container after an upgrade): specs/canonical-json.test.ts pins it.
 * Written as one pass of string appends: it runs for every object of every load, and the
 * entries/filter/map arrays of the obvious version were a tenth of validate's time at
 * 1,000 objects (issue 12/18).
 */
export function canonicalJSON(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJSON(value[i] ?? null);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJSON(member)}`;
  }
  return `${out}}`;
}

/** First 16 hex characters of the sha256 of the canonical JSON. */
export function hashValue(value: unknown): string {
  return createHash('sha256').update(canonicalJSON(value)).digest('hex').slice(0, 16);
}
