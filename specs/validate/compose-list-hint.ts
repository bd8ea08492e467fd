import type { ValuePath } from '../parse/locate.js';
import { valueAt } from './blank-values.js';

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const CONVERTS = 'berth import converts Compose files';

/**
 * What to write instead of Compose's list form (`env: [A=1]`, `args: [A=1]`, `labels:
 * [a=b]`) where berth wants a mapping (F816): every Compose user writes the list form, and
 * "spec.env[0] must be a mapping" did not say what the mapping looks like. Undefined when
 * the value is not that form. `type` is ajv's expected type, `path` the failing value's.
 */
export function composeListText(
  type: unknown,
  path: ValuePath,
  document: Record<string, unknown>,
): string | undefined {
  if (type !== 'object') return undefined;
  const value = valueAt(document, path);
  // One `NAME=value` entry of spec.env, which may be a list, but of {name, value}.
  if (typeof value === 'string' && path.at(-2) === 'env' && typeof path.at(-1) === 'number') {
    const field = path.slice(0, -1).join('.');
    return (
      `is the list form ${value}, which is Compose's; ${field} is a mapping: ` +
      `write ${asMappingEntry(value)} (${CONVERTS})`
    );
  }
  // A whole list of `NAME=value` strings where only a mapping fits.
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' && v.includes('='))
  ) {
    const first = value[0] as string;
    return (
      `must be a mapping: write ${asMappingEntry(first)} ` +
      `(the list form ${first} is Compose's; ${CONVERTS})`
    );
  }
  return undefined;
}

/**
 * `A=1` → `A: "1"`; `A` (Compose passes its own environment's A) → `A:` (berth's value-less
 * entry takes A from berth's environment or .env, F129).
 */
function asMappingEntry(entry: string): string {
  const at = entry.indexOf('=');
  const name = at < 0 ? entry : entry.slice(0, at);
  const key = BARE_KEY.test(name) ? name : JSON.stringify(name);
  return at < 0 ? `${key}:` : `${key}: ${JSON.stringify(entry.slice(at + 1))}`;
}
