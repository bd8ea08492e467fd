import type { ErrorObject } from 'ajv';
import { wasInterpolated } from '../parse/scalar-text.js';
import { dockerSize } from './values.js';

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
 * one, as compose-go casts interpolated values by path; one of Compose's words for an enum
 * field berth spells otherwise (`restartPolicy: ${RESTART:-unless-stopped}`) takes berth's
 * word (sizes: readVariableSizesAsDocker, before the schema). Only
 * values that came out of interpolation are cast (a hand-written "2" stays a string, `2g`
 * stays refused: one spelling in manifests). Works in place on the schema's `type` and `enum` errors; returns true when it
 * changed a value (validate again then).
 */
export function castInterpolated(document: object, errors: readonly ErrorObject[]): boolean {
  let changed = false;
  for (const error of errors) {
    if (error.keyword === 'enum') {
      changed = composeSpelling(document, error) || changed;
      continue;
    }
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

/**
 * Compose's spellings of the enum fields import carries, by berth field name (F136): a
 * variable written for Compose (`restart: ${RESTART_POLICY:-unless-stopped}`, `pull_policy:
 * ${PULL_POLICY:-always}`) resolves to one of them. Mapped as import maps the literal words.
 */
export const COMPOSE_SPELLINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  restartPolicy: {
    no: 'Never',
    always: 'Always',
    'unless-stopped': 'Always',
    'on-failure': 'OnFailure',
  },
  pullPolicy: {
    always: 'Always',
    missing: 'IfNotPresent',
    if_not_present: 'IfNotPresent',
    never: 'Never',
  },
};

/**
 * An interpolated value of an enum field that is Compose's spelling of one of its values
 * takes berth's; a hand-written one is left to the schema (one spelling in manifests).
 * In place; true when it changed the value.
 */
function composeSpelling(document: object, error: ErrorObject): boolean {
  const path = error.instancePath.split('/').slice(1).map(unescape);
  const key = path.pop();
  const holder = path.reduce<unknown>(
    (node, part) => (node as Record<string, unknown> | undefined)?.[part],
    document,
  );
  if (key === undefined || holder === null || typeof holder !== 'object') return false;
  const record = holder as Record<string, unknown>;
  const value = record[key];
  const spelling = typeof value === 'string' ? COMPOSE_SPELLINGS[key]?.[value.trim()] : undefined;
  if (spelling === undefined || !wasInterpolated(holder, arrayKey(holder, key))) return false;
  record[key] = spelling;
  return true;
}

/**
 * Where a Container's spec holds a size (schemas/container.schema.json's `$defs/quantity`
 * references): an object path below `spec`, `*` for every item of a list.
 */
export const SIZE_PLACES: readonly (readonly string[])[] = [
  ['shmSize'],
  ['resources', 'memory'],
  ['resources', 'memoryReservation'],
  ['resources', 'memorySwap'],
  ['mounts', '*', 'size'],
];

/**
 * A size that came out of a variable is read as Docker reads sizes (validate/values.ts
 * dockerSize: powers of 1024 in any case, `2G` = `2g` = `2Gi`), and takes berth's spelling of
 * it before the schema sees it: variables are Compose's (DESIGN, Variables), and a Compose
 * `.env` that says `MEM=2G` means 2 GiB to docker compose, not berth's decimal 2·10⁹ (F351).
 * A size written in the manifest keeps berth's meaning (`1G` decimal, as in Kubernetes); one
 * Docker does not read (`1E`, `lots`) is left to the schema. In place, on a Container's spec.
 */
export function readVariableSizesAsDocker(spec: unknown): void {
  for (const place of SIZE_PLACES) visit(spec, place);
}

function visit(node: unknown, place: readonly string[]): void {
  const [head, ...rest] = place;
  if (node === null || typeof node !== 'object' || head === undefined) return;
  if (head === '*') {
    if (Array.isArray(node)) for (const item of node) visit(item, rest);
    return;
  }
  const record = node as Record<string, unknown>;
  if (rest.length) return visit(record[head], rest);
  const value = record[head];
  if (typeof value !== 'string' || !wasInterpolated(record, head)) return;
  const spelled = dockerSize(value);
  if (spelled !== undefined) record[head] = spelled;
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

/**
 * Whether `value` is one variable with a default (`${NAME:-word}`, `${NAME-word}`) whose
 * default is Compose's spelling of a value of berth's enum field `field`: what import may
 * write as it is (F136), since it validates unless the variable is set to something else.
 */
export function variableWithComposeDefault(value: string, field: string): boolean {
  const match = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}$]*)\}$/.exec(value.trim());
  return match?.[1] !== undefined && COMPOSE_SPELLINGS[field]?.[match[1]] !== undefined;
}
