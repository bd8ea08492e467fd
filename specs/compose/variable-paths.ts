import { isAbsolute, resolve } from 'node:path';
import { interpolate } from '../interpolate/resolve.js';
import { writtenRelative } from './normalise.js';
import type { ImportState } from './state.js';

/** A host path that starts with a variable whose value at import is relative. */
export interface VariablePath {
  /** The absolute path Compose uses: the value resolved against the project folder. */
  absolute: string;
  /** Says on the object where the path came from and why it is written out. */
  note: string;
}

/**
 * F190: Compose resolves a relative host path against the project folder *after*
 * interpolation, so `${UPLOAD_LOCATION}:/data` with `.env` `UPLOAD_LOCATION=./library` binds
 * `<project>/library`. Kept as written, berth would resolve the copied `.env` value against
 * the output folder (an empty folder, made by DirectoryOrCreate). So such a path is resolved
 * at import (environment, then the project's `.env`) and written relative to the output
 * folder, like a literal relative path. Undefined when `written` does not start with a
 * variable, or its value is unset, empty, absolute or in the home folder (kept as written:
 * berth resolves it at apply to the same path).
 */
export function variablePath(
  state: ImportState,
  written: string,
  field: string,
): VariablePath | undefined {
  if (!written.startsWith('$') || written.startsWith('$$')) return undefined;
  const resolved = interpolate(written, state.variables);
  if (!('value' in resolved)) return undefined;
  const value = resolved.value;
  if (value === '' || isAbsolute(value) || value === '~' || value.startsWith('~/'))
    return undefined;
  const absolute = resolve(state.project.dir, value);
  writtenRelative.add(absolute);
  return {
    absolute,
    note:
      `${field}: ${written} is ${value} at import, a relative path that Compose resolves ` +
      'against the Compose project folder; written as that folder (change it here if the ' +
      'variable changes)',
  };
}
