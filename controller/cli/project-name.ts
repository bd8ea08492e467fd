import { basename, dirname, join, resolve } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseEnvFile } from '../../specs/interpolate/env-file.js';
import { BerthError } from '../errors.js';
import { PROJECT_VARIABLE } from '../../specs/compose/dot-env.js';
import {
  composeFileProjectName,
  invalidProjectName,
  projectNameFromFolder,
} from '../../specs/compose/project-name.js';
import { composeSettings } from './compose-settings.js';

/**
 * The project name per DESIGN.md: `--project`, else the base name of the first applied
 * folder (or of a file's folder), else the current folder's — as Compose does. Between the
 * two, as in Compose, `COMPOSE_PROJECT_NAME` from berth's environment, else from `.env` in
 * that folder: `berth import -o DIR` writes it there, so `apply -f DIR` runs the project
 * docker compose would (issue 13); else the top-level `name:` of the Compose file in that
 * folder (F84: after `import -o berth && apply -f berth`, `berth down` in the Compose
 * folder must find the app that `docker compose down` there would). A name given as such (all
 * but the folder's) that is not a valid project name is refused, E_USAGE (exit 1), as Compose
 * refuses it (F191: it was rewritten, `-p x.y` → `xy`); only a folder's base name is made
 * safe for engine names the way Compose does it: lower case, only [a-z0-9_-].
 */
export function resolveProjectName(
  flag: string | undefined,
  paths: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): string {
  if (flag) return given(flag, '-p/--project');
  const first = paths.find((p) => p !== '-');
  const folder = first ? folderOf(resolve(cwd, first)) : cwd;
  const dotenv = env[PROJECT_VARIABLE] ? {} : projectDotEnv(join(folder, '.env'), env);
  const lookup = (name: string): string | undefined => env[name] ?? dotenv[name];
  if (env[PROJECT_VARIABLE])
    return given(env[PROJECT_VARIABLE], `${PROJECT_VARIABLE} in the environment`);
  const dotenvName = dotenv[PROJECT_VARIABLE];
  if (dotenvName) return given(dotenvName, `${PROJECT_VARIABLE} in ${join(folder, '.env')}`);
  const composeName = composeFileProjectName(folder, composeSettings(folder, env).files, lookup);
  if (composeName)
    return given(composeName, `the top-level name: of the Compose file in ${folder}`);
  return sanitizeProjectName(basename(folder));
}

/** A project name given as such (`from` says where), refused when it is not valid (F191). */
function given(name: string, from: string): string {
  const why = invalidProjectName(name);
  if (why === undefined) return name;
  const safe = projectNameFromFolder(name);
  throw new BerthError('E_USAGE', `${why} (from ${from})`, {
    hint: `berth never rewrites a project name it is given; use a valid one, e.g. ${safe}`,
  });
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

/** A folder's (or repository's) base name made a project name, as Compose does. */
export const sanitizeProjectName = projectNameFromFolder;
