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
 * word, and a size in Docker's units berth does not spell (`shmSize: ${SHM:-512m}`,
 * `memory: ${MEM}` with MEM=2g) takes berth's spelling of Docker's meaning (`512Mi`). Only
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
    if (error.keyword === 'pattern' && error.schemaPath.endsWith(QUANTITY_PATTERN)) {
      changed = dockerSizeSpelling(document, error) || changed;
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

/** The schema path of the quantity pattern (schemas/envelope.schema.json). */
const QUANTITY_PATTERN = '/$defs/quantity/pattern';

/**
 * An interpolated value of a quantity field that berth's pattern refuses but Docker reads as
 * a size (`512m`, `2g`, `1gb`: validate/values.ts dockerSize) takes berth's spelling of it,
 * as docker compose reads the same variable (a Compose `.env` says `SHM_SIZE=1g`). Those
 * both read (`2G`, `512k`) keep berth's meaning. In place; true when it changed the value.
 */
function dockerSizeSpelling(document: object, error: ErrorObject): boolean {
  const { record, key } = holderOf(document, error);
  const value = record?.[key];
  const spelled = typeof value === 'string' ? dockerSize(value) : undefined;
  if (spelled === undefined || !wasInterpolated(record!, arrayKey(record!, key))) return false;
  record![key] = spelled;
  return true;
}

/** The object or array that holds the value an error is about, and its key. */
function holderOf(
  document: object,
  error: ErrorObject,
): { record: Record<string, unknown> | undefined; key: string } {
  const path = error.instancePath.split('/').slice(1).map(unescape);
  const key = path.pop() ?? '';
  const holder = path.reduce<unknown>(
    (node, part) => (node as Record<string, unknown> | undefined)?.[part],
    document,
  );
  const record =
    holder !== null && typeof holder === 'object' ? (holder as Record<string, unknown>) : undefined;
  return { record, key };
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
