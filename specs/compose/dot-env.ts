import { existsSync, readFileSync } from 'node:fs';
import { parseEnvFile } from '../interpolate/env-file.js';

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

/** The text of a file, undefined when there is none. */
export function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
