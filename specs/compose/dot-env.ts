import { existsSync, readFileSync } from 'node:fs';
import { parseEnvFile } from '../interpolate/env-file.js';
import { dotEnvLine, type CarriedVariable } from './include-variables.js';

/** The variable docker compose (and berth, when no `-p` is given) takes the project name from. */
export const PROJECT_VARIABLE = 'COMPOSE_PROJECT_NAME';

/**
 * The `.env` import writes beside the manifests: `base` (the project's `.env`, else the
 * one already in the output folder, else nothing) with `COMPOSE_PROJECT_NAME` set to the
 * project name, so `berth apply -f DIR` without `-p` runs the project docker compose would
 * (berth reads the variable from `.env` as Compose does: controller/cli/project-name.ts).
 * The text is kept as it is when it already says so; otherwise earlier assignments of the
 * variable are taken out and one line is appended.
 */
export function dotEnvWithProject(base: string | undefined, project: string): string {
  const text = base ?? '';
  const parsed = parseEnvFile(text, { lenient: true });
  if ('variables' in parsed && parsed.variables[PROJECT_VARIABLE] === project) return text;
  const assignment = new RegExp(`^\\s*(export\\s+)?${PROJECT_VARIABLE}\\s*[=:]`);
  const kept = text.split(/\r?\n/).filter((line) => !assignment.test(line));
  while (kept.length && kept[kept.length - 1] === '') kept.pop();
  return [
    ...kept,
    '# The Compose project (written by berth import): berth apply -f this folder runs it',
    `${PROJECT_VARIABLE}=${project}`,
    '',
  ].join('\n');
}

/**
 * `text` (the output's `.env`) with the variables of included projects appended (F149,
 * include-variables.ts), under a comment naming the env file each comes from; an earlier
 * assignment of the same name (an earlier import's) is taken out first.
 */
export function dotEnvWithVariables(text: string, carried: CarriedVariable[]): string {
  if (carried.length === 0) return text;
  const names = new Set(carried.map((v) => v.name));
  const earlier = /^\s*(?:export\s+)?([\w.-]+)\s*[=:]/;
  const header = /^# From .* \(an included project's variables, written by berth import\)$/;
  const kept = text
    .split(/\r?\n/)
    .filter((line) => !names.has(earlier.exec(line)?.[1] ?? '') && !header.test(line));
  while (kept.length && kept[kept.length - 1] === '') kept.pop();
  const lines: string[] = [];
  for (const from of [...new Set(carried.map((v) => v.from))].sort()) {
    lines.push(`# From ${from} (an included project's variables, written by berth import)`);
    for (const v of carried.filter((c) => c.from === from).sort(byName))
      lines.push(dotEnvLine(v.name, v.value));
  }
  return [...kept, ...lines, ''].join('\n');
}

const byName = (a: CarriedVariable, b: CarriedVariable) => a.name.localeCompare(b.name);

/** The text of a file, undefined when there is none. */
export function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
