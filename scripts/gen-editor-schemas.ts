/**
 * Generates schemas/editor/*.schema.json: the manifest schemas for editors
 * (`# yaml-language-server: $schema=…/schemas/editor/manifest.schema.json`). berth reads a
 * `${…}` in every string value (DESIGN.md "Variables") and checks the interpolated value
 * against schemas/*.schema.json; an editor sees the text as written, so there every typed
 * or patterned value (integer, number, boolean, enum, pattern, format) also takes a string
 * holding a `$` (F196: `replicas: ${N:-2}`, `restartPolicy: ${POLICY:-Always}` and
 * imported `ports` were red in editors while berth accepts them). `oneOf` becomes `anyOf`,
 * since an interpolated string may now fit more than one branch. Keys (`propertyNames`)
 * are never interpolated and stay as they are. `--check` exits 1 when the committed files
 * differ, as for the other generated files.
 *
 *   tsx scripts/gen-editor-schemas.ts           write the files
 *   tsx scripts/gen-editor-schemas.ts --check   compare only
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import { SCHEMA_FILES } from '../specs/validate/schema-compiler.js';

const SCHEMA_DIR = fileURLToPath(new URL('../schemas/', import.meta.url));
const EDITOR_DIR = `${SCHEMA_DIR}editor/`;
const FILES = [...Object.values(SCHEMA_FILES), 'manifest.schema.json'];

/** What an interpolated value looks like before berth resolves it. */
const INTERPOLATED = {
  type: 'string',
  pattern: '\\$',
  description: 'A value with ${VAR} interpolation; berth checks it once resolved.',
};

type Json = unknown;

/** Keywords whose value is a map of subschemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions']);
/** Keywords whose value is one subschema. */
const SCHEMA_ONE = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'unevaluatedProperties',
  'unevaluatedItems',
]);
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = new Set(['anyOf', 'allOf', 'oneOf', 'prefixItems']);

/** The editor form of one schema (sub)tree. */
function loosen(schema: Json): Json {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(schema as Record<string, Json>)) {
    if (SCHEMA_MAPS.has(key) && isObject(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, loosen(v)]));
    else if (SCHEMA_ONE.has(key)) out[key] = loosen(value);
    else if (SCHEMA_LISTS.has(key) && Array.isArray(value))
      out[key === 'oneOf' ? 'anyOf' : key] = value.map(loosen);
    else if (key === '$id' && typeof value === 'string')
      out[key] = value.replace(/\/([^/]+)$/, '/editor/$1');
    else out[key] = value;
  }
  return typed(out) ? wrap(out) : out;
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A leaf a `${…}` string would fail: not a plain string. */
function typed(schema: Record<string, Json>): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const nonString = types.some((t) => t === 'integer' || t === 'number' || t === 'boolean');
  return nonString || 'enum' in schema || 'pattern' in schema || 'format' in schema;
}

/** `{anyOf: [schema, INTERPOLATED]}`, the description kept on top for hovers. */
function wrap(schema: Record<string, Json>): Record<string, Json> {
  const { description, ...rest } = schema;
  return {
    ...(description === undefined ? {} : { description }),
    anyOf: [rest, INTERPOLATED],
  };
}

async function generate(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of FILES) {
    const schema = JSON.parse(await readFile(`${SCHEMA_DIR}${file}`, 'utf8')) as Json;
    const text = JSON.stringify(loosen(schema), null, 2);
    out.set(file, await format(text, { parser: 'json', printWidth: 100 }));
  }
  return out;
}

const fresh = await generate();
if (process.argv.includes('--check')) {
  for (const [file, text] of fresh) {
    const committed = await readFile(`${EDITOR_DIR}${file}`, 'utf8').catch(() => '');
    if (committed !== text) {
      process.stderr.write(
        `schemas/editor/${file} is out of date with schemas/: run \`npm run gen:types\` and commit the result\n`,
      );
      process.exit(1);
    }
  }
  process.stdout.write('schemas/editor/ is up to date\n');
} else {
  await mkdir(EDITOR_DIR, { recursive: true });
  for (const [file, text] of fresh) await writeFile(`${EDITOR_DIR}${file}`, text);
  process.stdout.write(`wrote ${fresh.size} files to schemas/editor/\n`);
}
