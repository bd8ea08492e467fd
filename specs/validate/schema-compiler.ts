import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Kind } from '../model.js';

/** Where the JSON Schemas live, relative to this file (specs/validate/ → schemas/). */
const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);

export const SCHEMA_FILES: Record<Kind | 'Envelope', string> = {
  Envelope: 'envelope.schema.json',
  Image: 'image.schema.json',
  Network: 'network.schema.json',
  BindMount: 'bindmount.schema.json',
  Volume: 'volume.schema.json',
  Container: 'container.schema.json',
  Secret: 'secret.schema.json',
  Config: 'config.schema.json',
};

export type Validators = Record<Kind | 'Envelope', ValidateFunction>;

/** Reads a schema file from schemas/. */
export function readSchema(file: string): Record<string, unknown> {
  const path = fileURLToPath(new URL(file, SCHEMA_DIR));
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule;

/** The ajv instance every schema is compiled with (2020 dialect, all errors, formats). */
export function createAjv(code?: { source: boolean; esm: boolean }): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    ...(code ? { code } : {}),
  });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  for (const file of Object.values(SCHEMA_FILES)) ajv.addSchema(readSchema(file));
  ajv.addSchema(readSchema('manifest.schema.json'));
  return ajv;
}
