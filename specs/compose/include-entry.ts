import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ComposeInputError, isRecord, placeKey, whereKey } from './located.js';
import type { Where } from './located.js';
import type { LoadContext } from './load-context.js';
import { mergeTrees } from './merge.js';
import { hostPath } from './normalise.js';
import { interpolate } from '../interpolate/resolve.js';

/** One `include` entry, its paths absolute: the files, the project folder, the env files. */
export interface IncludeEntry {
  paths: string[];
  projectDir: string;
  envFiles: string[];
}

/**
 * Reads an entry of `include`: a path, or `{path, project_directory, env_file}` (compose
 * spec `include`). `project_directory` defaults to the first file's folder; `env_file`
 * (relative to the including project, as compose-go reads it) to the `.env` in it, if any.
 */
export function includeEntry(
  entry: unknown,
  where: Where,
  dir: string,
  ctx: LoadContext,
): IncludeEntry {
  const long = interpolateEntry(isRecord(entry) ? entry : { path: entry }, where, ctx);
  for (const key of Object.keys(long))
    if (!['path', 'project_directory', 'env_file'].includes(key))
      throw new ComposeInputError(
        whereKey(long, key) ?? where,
        `include: unknown key "${key}" (expected path, project_directory or env_file)`,
      );
  const paths = stringList(long.path, where, 'path').map((p) => hostPath(p, dir));
  if (paths.length === 0) throw new ComposeInputError(where, 'include: path is required');
  for (const p of paths)
    if (!existsSync(p))
      throw new ComposeInputError(where, `include: ${relative(ctx.cwd, p)}: no such file`);
  const project = long.project_directory;
  if (project !== undefined && typeof project !== 'string')
    throw new ComposeInputError(
      whereKey(long, 'project_directory') ?? where,
      'include: project_directory must be a string',
    );
  const projectDir = project === undefined ? dirname(paths[0]!) : hostPath(project, dir);
  const envFiles =
    long.env_file === undefined
      ? [join(projectDir, '.env')].filter(isFile)
      : stringList(long.env_file, whereKey(long, 'env_file') ?? where, 'env_file').map((f) =>
          hostPath(f, dir),
        );
  for (const f of envFiles)
    if (!isFile(f))
      throw new ComposeInputError(
        whereKey(long, 'env_file') ?? where,
        `include: env_file ${relative(ctx.cwd, f)}: no such file`,
      );
  return { paths, projectDir, envFiles };
}

/**
 * An `include` entry with its variables resolved from the project's (compose-go
 * `loadIncludeConfig` interpolates each entry before reading it; F210). An unset variable
 * without a default is refused at the entry (Compose makes it blank, and then finds no such
 * file).
 */
function interpolateEntry(
  entry: Record<string, unknown>,
  where: Where,
  ctx: LoadContext,
): Record<string, unknown> {
  const resolveText = (value: unknown, at: Where): unknown => {
    if (typeof value !== 'string' || !value.includes('$')) return value;
    const resolved = interpolate(value, ctx.lookup);
    if ('value' in resolved) return resolved.value;
    throw new ComposeInputError(at, `include: ${resolved.error.message}`);
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    const at = whereKey(entry, key) ?? where;
    out[key] = Array.isArray(value) ? value.map((v) => resolveText(v, at)) : resolveText(value, at);
    placeKey(out, key, whereKey(entry, key));
  }
  return out;
}

/** A string or a list of strings (Compose's string-or-list fields). */
function stringList(value: unknown, where: Where, key: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((p) => typeof p === 'string')) return value as string[];
  throw new ComposeInputError(
    where,
    key === 'path'
      ? 'include: each entry is a path or {path: …}'
      : `include: ${key} must be a string or a list of strings`,
  );
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** Adds the `kind` objects of an included project to `tree`, under what `tree` says of them. */
export function addIncluded(
  tree: Record<string, unknown>,
  kind: string,
  objects: Record<string, unknown>,
  where: Where,
): void {
  const target = (isRecord(tree[kind]) ? tree[kind] : (tree[kind] = {})) as Record<string, unknown>;
  for (const [name, value] of Object.entries(objects)) {
    const own = target[name];
    // compose-go (since Nov 2025, "Allow importing compose file to override resource
    // definition"): what the including file says of an included service, volume… is merged
    // over the included one as an override file would be (wger's `db: {shm_size: …}` over
    // its included postgres.yaml); before, docker compose refused the conflict.
    target[name] = isRecord(own) && isRecord(value) ? mergeTrees(value, own) : (own ?? value);
    placeKey(target, name, whereKey(own === undefined ? objects : target, name) ?? where);
  }
}
