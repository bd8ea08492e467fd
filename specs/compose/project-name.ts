import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { interpolate } from '../interpolate/resolve.js';
import type { VariableLookup } from '../interpolate/resolve.js';

/** Compose's default file names, in the order `docker compose` looks for them. */
export const DEFAULT_FILES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
];

/** A top-level `name:` key somewhere in the text: files without one are never parsed. */
const NAME_KEY = /^name\s*:/m;

/**
 * The project name the Compose files in `folder` give with a top-level `name:`, as
 * `docker compose` takes it there without `-p` and `COMPOSE_PROJECT_NAME`: from `files`
 * (COMPOSE_FILE, relative to `folder`; a later file's name wins, as in a merge), else from
 * the first default file that exists. `${VAR}` in it resolves through `lookup`. Cheap: a
 * file is parsed only when it has a `name:` line, and nothing else of it is read. Undefined
 * when there is no such file or name, or it does not parse or resolve (import reports that).
 */
export function composeFileProjectName(
  folder: string,
  files: readonly string[] | undefined,
  lookup: VariableLookup,
): string | undefined {
  const paths = files?.length
    ? files.map((f) => resolve(folder, f))
    : DEFAULT_FILES.map((f) => join(folder, f))
        .filter((p) => existsSync(p))
        .slice(0, 1);
  let name: string | undefined;
  for (const path of paths) name = nameIn(path, lookup) ?? name;
  return name;
}

function nameIn(path: string, lookup: VariableLookup): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  if (!NAME_KEY.test(text)) return undefined;
  let tree: unknown;
  try {
    tree = parse(text);
  } catch {
    return undefined;
  }
  const written = (tree as { name?: unknown } | null)?.name;
  if (typeof written !== 'string' || written === '') return undefined;
  const resolved = interpolate(written, lookup);
  return 'value' in resolved && resolved.value !== '' ? resolved.value : undefined;
}

/**
 * Why `name` cannot be a project name given as it is (`-p`, COMPOSE_PROJECT_NAME, a Compose
 * file's `name:`), in docker compose's words; undefined when it can. Compose refuses such a
 * name rather than rewrite it (F191: `-p x.y` became `xy`, `-p ../etc` `etc`, so two names
 * landed in one project and `apply --prune` of one deleted the other's objects).
 */
export function invalidProjectName(name: string): string | undefined {
  if (/^[a-z0-9][a-z0-9_-]*$/.test(name)) return undefined;
  return `invalid project name ${JSON.stringify(name)}: must contain only lowercase letters, decimal digits, dashes and underscores, and must begin with a lowercase letter or decimal digit`;
}

/**
 * A folder's base name made a project name, as Compose makes one (only there: a name given
 * as such is refused when invalid, {@link invalidProjectName}): lower case, only
 * [a-z0-9_-], no leading `-` or `_`; `default` when nothing is left.
 */
export function projectNameFromFolder(base: string): string {
  const cleaned = base
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[-_]+/, '');
  return cleaned || 'default';
}
