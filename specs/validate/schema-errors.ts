import type { ErrorObject } from 'ajv';
import type { Problem, ProblemCode } from '../problems.js';
import type { Locator, ValuePath } from '../parse/locate.js';
import { KINDS } from '../model.js';
import { scalarString } from '../parse/scalar-text.js';
import { knownFields } from './schema-fields.js';
import { closestMatch } from './suggest.js';
import { blankVariableNote, valueAt } from './blank-values.js';
import { composeListText } from './compose-list-hint.js';
import { composeFieldHint } from './compose-field-hint.js';

/** How an object is named in messages: `Container "web"`. */
export function objectLabel(kind: unknown, name: unknown): string {
  const kindText = typeof kind === 'string' && kind !== '' ? kind : 'Object';
  return typeof name === 'string' && name !== ''
    ? `${kindText} "${name}"`
    : `${kindText} (unnamed)`;
}

/** `/spec/ports/0/hostPort` → `['spec', 'ports', 0, 'hostPort']`. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `['spec', 'ports', 0, 'hostPort']` → `spec.ports[0].hostPort`. */
export function formatPath(path: ValuePath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Named definitions whose failures have their own problem code and wording. */
const DEFINITION_CODES: [RegExp, ProblemCode, string][] = [
  [/\$defs\/name\//, 'E_NAME', 'is not a DNS label (lower-case letters, digits and -, at most 63)'],
  [/\$defs\/duration\//, 'E_DURATION', 'is not a duration such as 5s, 1m30s or 500ms'],
  [/\$defs\/quantity\//, 'E_QUANTITY', 'is not a quantity such as 256Mi, 1G or 512k'],
  [/\$defs\/portString\//, 'E_PORT', 'is not a port mapping [ip:]host:container[/proto]'],
  [/\$defs\/portObject\/properties\/\w+Port\//, 'E_PORT', 'is not a port between 1 and 65535'],
  [/\$defs\/apiVersion\//, 'E_API_VERSION', 'must be berth/v1'],
  [
    /\$defs\/kind\//,
    'E_KIND',
    'must be one of Image, Network, BindMount, Volume, Container, Secret, Config',
  ],
  [/\/properties\/kind\/const$/, 'E_KIND', 'does not match the kind of this schema'],
];

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function describeType(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  const words = types.map((t) => TYPE_WORDS[String(t)] ?? String(t));
  return words.length > 1
    ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`
    : (words[0] ?? '');
}

function shortValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Turns ajv errors into problems that point at the offending value (or, for an unknown
 * field, at its key) and read like `Container "web": spec.restartPolicy must be one of …`.
 * `if` errors are dropped: the branch's own error says what is wrong.
 */
export function schemaProblems(
  errors: ErrorObject[],
  document: Record<string, unknown>,
  locate: Locator,
): Problem[] {
  const metadata = document.metadata as Record<string, unknown> | undefined;
  const label = objectLabel(document.kind, metadata?.name);
  const kind = KINDS.find((k) => k === document.kind) ?? 'Envelope';
  const problems: Problem[] = [];
  // An empty string breaks both minLength and the pattern; "is empty" says it once.
  const empty = new Set(
    errors
      .filter(
        (e) => e.keyword === 'minLength' && valueAt(document, pointerToPath(e.instancePath)) === '',
      )
      .map((e) => e.instancePath),
  );
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    if (error.keyword === 'pattern' && empty.has(error.instancePath)) continue;
    const path = pointerToPath(error.instancePath);
    const { code, text, at } = describe(error, path, { document, kind });
    const where = formatPath(at);
    const note = error.keyword === 'additionalProperties' ? '' : blankVariableNote(document, at);
    problems.push({
      ...locate(at, error.keyword === 'additionalProperties' ? 'key' : 'value'),
      code,
      message: `${label}: ${where === '' ? 'the document' : where} ${text}${note}`,
    });
  }
  return dedupe(problems);
}

interface ErrorPlace {
  document: Record<string, unknown>;
  kind: (typeof KINDS)[number] | 'Envelope';
}

function describe(
  error: ErrorObject,
  path: (string | number)[],
  place: ErrorPlace,
): { code: ProblemCode; text: string; at: (string | number)[] } {
  const params = error.params as Record<string, unknown>;
  const value = valueAt(place.document, path);
  if (error.keyword === 'additionalProperties') {
    const field = String(params.additionalProperty);
    const known = knownFields(place.kind, path).filter((f) => f !== field);
    const hint = composeFieldHint(place.kind, path, field) || didYouMean(field, known);
    const text = `is not a known field${hint}`;
    return { code: 'E_UNKNOWN_FIELD', text, at: [...path, field] };
  }
  if (error.keyword === 'required') {
    const text = `is missing the required field "${String(params.missingProperty)}"`;
    return { code: 'E_SCHEMA', text, at: path };
  }
  const special = DEFINITION_CODES.find(([pattern]) => pattern.test(error.schemaPath));
  if (special && error.keyword !== 'type') {
    const hint =
      special[1] === 'E_KIND' && typeof value === 'string' ? didYouMean(value, KINDS) : '';
    return { code: special[1], text: `${shortValue(value)} ${special[2]}${hint}`, at: path };
  }
  return { code: 'E_SCHEMA', text: plainText(error, params, path, place.document), at: path };
}

/** `; did you mean "image"?` when a known word is one typo away, else nothing. */
function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}

function plainText(
  error: ErrorObject,
  params: Record<string, unknown>,
  path: (string | number)[],
  document: Record<string, unknown>,
): string {
  switch (error.keyword) {
    case 'type':
      return (
        composeListText(params.type, path, document) ??
        `must be ${describeType(params.type)}${quoteHint(params.type, path, document)}`
      );
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const value = valueAt(document, path);
      const hint = typeof value === 'string' ? didYouMean(value, allowed) : '';
      return `must be one of ${allowed.join(', ')}${hint}`;
    }
    case 'const':
      return `must be ${String(params.allowedValue)}`;
    case 'minLength':
      return valueAt(document, path) === '' ? 'is empty' : (error.message ?? 'is too short');
    default:
      return error.message ?? 'does not fit the schema';
  }
}

/**
 * A YAML number or boolean where only a string fits: the hint to quote it, with the text
 * as written (`write "1.10" in quotes`), since YAML would otherwise read `1.10` as 1.1.
 */
function quoteHint(
  type: unknown,
  path: (string | number)[],
  document: Record<string, unknown>,
): string {
  const key = path.at(-1);
  const holder = valueAt(document, path.slice(0, -1));
  if (type !== 'string' || key === undefined || holder === null || typeof holder !== 'object') {
    return '';
  }
  const value = (holder as Record<string | number, unknown>)[key];
  if (typeof value !== 'number' && typeof value !== 'boolean') return '';
  const text = scalarString(holder, key);
  return `; write it in quotes ("${text}") to keep it as written`;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.code}:${p.message}`;
    return !seen.has(key) && seen.add(key);
  });
}
