import { variablePath } from './variable-paths.js';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { isRecord, whereKey } from './located.js';
import type { ServiceWork } from './service-work.js';
import { copyBeside, lose, whereIn } from './state.js';
import { hasVariable, text } from './values.js';

/**
 * `environment:` (lists were made mappings by normalise). A name without a value passes
 * Compose's own environment through at `up`, or leaves the variable out when that has none;
 * berth's env says the same with a value-less entry (`NAME:`, F129): set at apply from
 * berth's environment or `.env`, left out when unset there. The importing shell's value is
 * never written (it may be a secret): the note says where the value comes from.
 */
export function carryEnvironment(w: ServiceWork, value: unknown, key: string): void {
  w.spec.env = environment(value);
  const passed = Object.entries(isRecord(value) ? value : {}).filter(([, v]) => v === null);
  if (passed.length)
    w.notes.push(
      `services.${w.service}.${key}: ${passed.map(([k]) => k).join(', ')} taken at apply from ` +
        "berth's environment or .env, as docker compose takes them from its own (not written " +
        'here), and left out when unset there',
    );
}

function environment(value: unknown): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(isRecord(value) ? value : {}))
    env[k] = v === null ? null : text(v);
  return env;
}

/** `env_file:` → envFiles, copied beside the manifests; a missing required one is a loss. */
export function carryEnvFiles(w: ServiceWork, entries: unknown[]): void {
  const files: string[] = [];
  entries.forEach((entry, i) => {
    const long = isRecord(entry) ? entry : { path: entry };
    const fromVariable = variablePath(
      w.state,
      text(long.path),
      `services.${w.service}.env_file[${i}]`,
    );
    if (fromVariable) w.notes.push(fromVariable.note);
    const file = fromVariable?.absolute ?? text(long.path);
    if (long.format !== undefined)
      lose(
        w.state,
        long,
        'format',
        `services.${w.service}.env_file[${i}].format`,
        'berth reads env files in .env syntax',
      );
    if (hasVariable(file)) files.push(file);
    else if (existsSync(file)) files.push(copyBeside(w.state, file));
    else if (long.required !== false)
      lose(w.state, entries, i, `services.${w.service}.env_file[${i}]`, `${file} does not exist`);
    else optionalMissing(w, entries, i, file);
  });
  if (files.length) w.spec.envFiles = files;
}

/**
 * F183: an optional env file (`required: false`) missing now is left out, but docker compose
 * reads it at every `up` once it exists (its purpose: local overrides); berth's envFiles has
 * no optional form, so the user is told that a file made later is not read.
 */
function optionalMissing(w: ServiceWork, entries: unknown[], i: number, file: string): void {
  w.state.warnings.push({
    where: whereKey(entries, i) ?? whereIn(w.state, w.svc, 'env_file'),
    message:
      `services.${w.service}.env_file[${i}]: ${relative(w.state.cwd, file) || file} is optional ` +
      'and missing, so it is left out; docker compose would read it once it exists, berth ' +
      'will not: import again (or add it to envFiles) after creating it',
  });
}
