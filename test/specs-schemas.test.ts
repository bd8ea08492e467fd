import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SCHEMAS = join(ROOT, 'schemas');
const schemaFiles = readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json'));

/** The editor's view: manifest.schema.json alone (plus the files it refers to), no berth code. */
function manifestValidator() {
  const ajv = new Ajv2020({
    allErrors: true,
    strictRequired: false,
    allowUnionTypes: true,
    validateFormats: false,
  });
  for (const file of schemaFiles)
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')));
  const validate = ajv.getSchema('https://berth.dev/schemas/v1/manifest.schema.json');
  if (!validate) throw new Error('manifest schema missing');
  return validate;
}

describe('schemas/', () => {
  it('holds one schema per kind plus the envelope and the manifest', () => {
    expect(schemaFiles.sort()).toEqual([
      'bindmount.schema.json',
      'config.schema.json',
      'container.schema.json',
      'envelope.schema.json',
      'image.schema.json',
      'manifest.schema.json',
      'network.schema.json',
      'secret.schema.json',
      'volume.schema.json',
    ]);
    for (const file of schemaFiles) {
      const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`https://berth.dev/schemas/v1/${file}`);
    }
  });

  it('manifest.schema.json accepts the good corpus and refuses unknown fields and kinds', () => {
    const validate = manifestValidator();
    const good = join(ROOT, 'test', 'corpus', 'good');
    for (const file of readdirSync(good).filter((f) => f.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(readFileSync(join(good, file), 'utf8'))) {
        const value = doc.toJS() as unknown;
        if (value === null) continue;
        expect(validate(value), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
    const volume = { apiVersion: 'berth/v1', kind: 'Volume', metadata: { name: 'v' } };
    expect(validate(volume)).toBe(true);
    expect(validate({ ...volume, spec: { size: 1 } })).toBe(false);
    expect(validate({ ...volume, kind: 'Pod' })).toBe(false);
    expect(validate({ ...volume, apiVersion: 'v1' })).toBe(false);
  });

  it('specs/types.generated.ts is up to date with the schemas', () => {
    const out = execFileSync('npx', ['tsx', 'scripts/gen-types.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out).toContain('up to date');
  });
});
