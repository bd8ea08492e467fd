import { basename } from 'node:path';
import { KINDS } from '../model.js';
import type { Kind } from '../model.js';
import type { Problem } from '../problems.js';
import type { ParsedDocument } from '../parse/documents.js';
import { isComposeDocument } from '../parse/compose-shape.js';
import type { AnyManifest } from '../types.generated.js';
import { validators } from './schemas.js';
import { objectLabel, schemaProblems } from './schema-errors.js';
import { castInterpolated, readVariableSizesAsDocker } from './typed-variables.js';
import { dropBlankInterpolated } from './blank-values.js';

export type DocumentCheck =
  | { manifest: AnyManifest; problems: [] }
  | { manifest?: undefined; problems: Problem[]; declared?: { kind: Kind; name: string } };

/**
 * Checks one document against its kind's schema (or the envelope's, when the kind is
 * unknown). A failed document still says which object it declared, when it can, so that
 * references to it are not reported as dangling on top of its own problems.
 */
export function checkDocument(doc: ParsedDocument): DocumentCheck {
  const value = doc.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const problem: Problem = {
      ...doc.start,
      code: 'E_SCHEMA',
      message: `${objectLabel(undefined, undefined)}: a manifest document must be a mapping with apiVersion, kind, metadata and spec`,
    };
    return { problems: [problem] };
  }
  const record = value as Record<string, unknown>;
  if (isComposeDocument(record)) {
    const problem: Problem = {
      ...doc.start,
      code: 'E_SCHEMA',
      message: composeHint(doc.start.file),
    };
    return { problems: [problem] };
  }
  const kind = KINDS.find((k) => k === record.kind);
  const validate = validators()[kind ?? 'Envelope'];
  // Blank interpolated values Compose treats as not given are taken out first (blank-values.ts).
  dropBlankInterpolated(record);
  if (kind === 'Container') readVariableSizesAsDocker(record.spec);
  let valid = validate(record);
  // Interpolated numbers and booleans take their type (castInterpolated), then validate again.
  if (!valid && castInterpolated(record, validate.errors ?? [])) valid = validate(record);
  if (valid && kind) return { manifest: record as unknown as AnyManifest, problems: [] };
  const problems = schemaProblems(validate.errors ?? [], record, doc.locate);
  const name = (record.metadata as Record<string, unknown> | undefined)?.name;
  if (kind && typeof name === 'string') return { problems, declared: { kind, name } };
  return { problems };
}

/**
 * What to do with a Compose file met among manifests. Only a main Compose file is imported
 * on its own; an override or `extends` base is read with its main file (F192b: the hint
 * said `berth import -f compose.override.yaml`, which imports a fragment).
 */
function composeHint(file: string): string {
  const main = /^(docker-)?compose\.ya?ml$/.test(basename(file));
  const how = main
    ? `convert it with berth import -f ${file} -o DIR`
    : 'convert its project with berth import -f <the main Compose file> -o DIR (override and extends files are read with it)';
  return `a Compose file, not a berth manifest: ${how}, then use DIR`;
}
