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

/** A variable of the project's `.env` import wrote as an explicit blank: where it was (1-based). */
export interface BlankedVariable {
  name: string;
  line: number;
  column: number;
}

/** `${VAR}` or `$VAR` at the start of a string: what a blanked reference looks like. */
const REFERENCE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/;

/**
 * `text` (the project's `.env`) with every `${VAR}` or `$VAR` whose VAR is set neither in
 * `env` nor on an earlier line written `${VAR:-}` (F783). compose-go's dotenv substitutes ""
 * for it with a warning (Laravel's `MAIL_FROM_NAME="${APP_NAME}"` without an APP_NAME line);
 * berth's reader refuses it (E_UNSET_VAR), so the copy beside the manifests failed
 * `berth validate` where docker compose ran. The same explicit blank import writes in the
 * manifests (values.ts explicitBlankDefaults); `env` still wins at apply. Single-quoted values
 * are literal and left alone; `${VAR?message}` stays an error, as in Compose.
 */
export function dotEnvWithBlankDefaults(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): { text: string; blanked: BlankedVariable[] } {
  const lines = text.split('\n');
  const blanked: BlankedVariable[] = [];
  // One pass rewrites the first unset reference of each value; a value naming several (or
  // one twice) needs another pass. Every pass rewrites at least one, or the loop ends.
  for (;;) {
    const parsed = parseEnvFile(lines.join('\n'), { lookup: (n) => env[n], blankUnset: true });
    const found = 'variables' in parsed ? (parsed.blanked ?? []) : [];
    const places = [...new Map(found.map((b) => [`${b.line}:${b.column}`, b])).values()].sort(
      (a, b) => b.line - a.line || b.column - a.column,
    );
    let rewritten = 0;
    for (const { line, column } of places) {
      const at = lines[line - 1] ?? '';
      const match = REFERENCE.exec(at.slice(column - 1));
      const name = match?.[1] ?? match?.[2];
      if (!match || !name) continue;
      lines[line - 1] =
        `${at.slice(0, column - 1)}\${${name}:-}${at.slice(column - 1 + match[0].length)}`;
      blanked.push({ name, line, column });
      rewritten++;
    }
    if (rewritten === 0) break;
  }
  blanked.sort((a, b) => a.line - b.line || a.column - b.column);
  return { text: lines.join('\n'), blanked };
}

/** The text of a file, undefined when there is none. */
export function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
