import type { ErrorObject } from 'ajv';
import { wasInterpolated } from '../parse/scalar-text.js';

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** What compose-go's toBoolean casts (loader/interpolate.go), any case: YAML 1.1's words too. */
export const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  y: true,
  yes: true,
  on: true,
  false: false,
  n: false,
  no: false,
  off: false,
};

/**
 * Compose interpolation casts: a `${…}` value where the schema wants an integer, a number or
 * a boolean (`replicas: ${N:-2}`, `cpus: ${CPUS}`) takes that type when its text reads as
 * one, as compose-go casts interpolated values by path. Only values that came out of
 * interpolation are cast (a hand-written "2" stays a string). Works in place on the
 * schema's `type` errors; returns true when it changed a value (validate again then).
 */
export function castInterpolated(document: object, errors: readonly ErrorObject[]): boolean {
  let changed = false;
  for (const error of errors) {
    if (error.keyword !== 'type') continue;
    const wanted = String((error.params as { type?: unknown }).type ?? '').split(',');
    const path = error.instancePath.split('/').slice(1).map(unescape);
    const key = path.pop();
    const holder = path.reduce<unknown>(
      (node, part) => (node as Record<string, unknown> | undefined)?.[part],
      document,
    );
    if (key === undefined || holder === null || typeof holder !== 'object') continue;
    const record = holder as Record<string, unknown>;
    const value = record[key];
    if (typeof value !== 'string' || !wasInterpolated(holder, arrayKey(holder, key))) continue;
    const cast = castTo(value.trim(), wanted);
    if (cast === undefined) continue;
    record[key] = cast;
    changed = true;
  }
  return changed;
}

function castTo(text: string, wanted: string[]): number | boolean | undefined {
  if (wanted.includes('integer') && INTEGER.test(text)) return Number(text);
  if (wanted.includes('number') && NUMBER.test(text)) return Number(text);
  if (wanted.includes('boolean')) return BOOLEANS[text.toLowerCase()];
  return undefined;
}

/** Array indexes are recorded as numbers. */
function arrayKey(holder: object, key: string): string | number {
  return Array.isArray(holder) ? Number(key) : key;
}

function unescape(part: string): string {
  return part.replace(/~1/g, '/').replace(/~0/g, '~');
}
