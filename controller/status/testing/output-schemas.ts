// Validates command output against schemas/output/ with ajv (draft 2020-12), for tests.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const folder = fileURLToPath(new URL('../../../schemas/output/', import.meta.url));
const BASE = 'https://berth.dev/schemas/output/';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function load(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(folder + file, 'utf8')) as object);
  }
  return ajv;
}

let shared: Ajv2020 | undefined;

/** Errors of `value` against `schemas/output/<name>.schema.json`; empty when valid. */
export function outputSchemaErrors(
  name: 'status' | 'get' | 'describe' | 'history' | 'object-status',
  value: unknown,
): string[] {
  shared ??= load();
  const validate = shared.getSchema(`${BASE}${name}.schema.json`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
