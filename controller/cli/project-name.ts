import { basename, dirname, join, resolve } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseEnvFile } from '../../specs/interpolate/env-file.js';
import { BerthError } from '../errors.js';
import { PROJECT_VARIABLE } from '../../specs/compose/dot-env.js';
import { composeFileProjectName } from '../../specs/compose/project-name.js';
import { composeSettings } from './compose-settings.js';

/**
 * The project name per DESIGN.md: `--project`, else the base name of the first applied
 * folder (or of a file's folder), else the current folder's — as Compose does. Between the
 * two, as in Compose, `COMPOSE_PROJECT_NAME` from berth's environment, else from `.env` in
 * that folder: `berth import -o DIR` writes it there, so `apply -f DIR` runs the project
 * docker compose would (issue 13); else the top-level `name:` of the Compose file in that
 * folder (F84: after `import -o berth && apply -f berth`, `berth down` in the Compose
 * folder must find the app that `docker compose down` there would). Made safe for engine
 * names the way Compose does it: lower case, only [a-z0-9_-].
 */
export function resolveProjectName(
  flag: string | undefined,
  paths: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): string {
  if (flag) return sanitizeProjectName(flag);
  const first = paths.find((p) => p !== '-');
  const folder = first ? folderOf(resolve(cwd, first)) : cwd;
  const dotenv = env[PROJECT_VARIABLE] ? {} : projectDotEnv(join(folder, '.env'), env);
  const lookup = (name: string): string | undefined => env[name] ?? dotenv[name];
  const named =
    env[PROJECT_VARIABLE] ||
    dotenv[PROJECT_VARIABLE] ||
    composeFileProjectName(folder, composeSettings(folder, env).files, lookup);
  return sanitizeProjectName(named || basename(folder));
}

/**
 * The variables of the folder's `.env`, read leniently (a `${…}` that does not resolve is
 * kept); `{}` without the file. A line that is not NAME=VALUE throws E_MANIFEST (exit 1) at
 * its file:line:col, as docker compose fails every command: `down`, `status` and `get` used
 * to drop the whole file silently and act on the folder-named project instead (F199).
 */
function projectDotEnv(path: string, env: NodeJS.ProcessEnv): Record<string, string> {
  if (!existsSync(path)) return {};
  const parsed = parseEnvFile(readFileSync(path, 'utf8'), {
    lookup: (name) => env[name],
    lenient: true,
  });
  if ('variables' in parsed) return parsed.variables;
  const { line, column, code, message } = parsed.error;
  throw new BerthError('E_MANIFEST', `${path}:${line}:${column}: ${message} [${code}]`, {
    file: path,
    line,
    column,
    hint: `fix that line of ${path}: it names the project (${PROJECT_VARIABLE}) berth acts on`,
  });
}

function folderOf(path: string): string {
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return dirname(path);
  }
}

export function sanitizeProjectName(raw: string): string {
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[-_]+/, '');
  return cleaned || 'default';
}
