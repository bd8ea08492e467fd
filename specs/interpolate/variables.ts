import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Problem } from '../problems.js';
import { ioMessage } from '../read/collect.js';
import { parseEnvFile } from './env-file.js';
import type { EnvFileOptions } from './env-file.js';
import type { VariableLookup } from './resolve.js';

export interface VariableSources {
  /** The `-f` paths as given; `.env` is looked for in the folder of the first one. */
  paths: string[];
  cwd: string;
  /** `--env-file` paths (relative to cwd), later files win; when given, `.env` is not read. */
  envFiles?: string[] | undefined;
  /** berth's own environment; it wins over every file. */
  env: NodeJS.ProcessEnv;
}

export interface Variables {
  lookup: VariableLookup;
  /**
   * Every variable by name: the env files' values under berth's environment (which wins), as
   * Compose's project environment. What a Secret, Config or build secret `env:` reads (F179:
   * Compose resolves `secrets.X.environment` from the project environment, `.env` included).
   */
  environment: NodeJS.ProcessEnv;
  /** The env files that were read, absolute. */
  files: string[];
  /** Unreadable or malformed env files, and values whose `${…}` does not resolve (`file:line:col`). */
  problems: Problem[];
}

/**
 * Where interpolated values come from (DESIGN.md "Variables", as in Compose): the process
 * environment first, then the `--env-file` files (later wins), or without them `.env` in
 * the folder given to `-f` (the file's folder for a file, cwd for stdin) when it exists.
 * `${VAR}` in the files' values resolves from the environment, then from earlier files and
 * lines (env-file.ts); an unset one is a problem at its place in the file.
 */
export async function loadVariables(sources: VariableSources): Promise<Variables> {
  const explicit = sources.envFiles !== undefined && sources.envFiles.length > 0;
  const candidates = explicit
    ? (sources.envFiles ?? []).map((f) => ({ display: f, absolute: resolve(sources.cwd, f) }))
    : [await defaultEnvFile(sources.paths, sources.cwd)].flatMap((f) => (f ? [f] : []));
  const fromFiles: Record<string, string> = {};
  const fileOf = new Map<string, string>();
  const problems: Problem[] = [];
  for (const file of candidates) {
    const read = await readEnvFile(file.display, file.absolute, {
      lookup: (name) => sources.env[name],
      earlier: fromFiles,
    });
    if ('problem' in read) problems.push(read.problem);
    const variables = 'problem' in read ? read.partial : read.variables;
    Object.assign(fromFiles, variables);
    for (const name of Object.keys(variables ?? {})) fileOf.set(name, file.display);
  }
  const env = sources.env;
  const lookup: VariableLookup = (name) =>
    env[name] ?? (Object.hasOwn(fromFiles, name) ? fromFiles[name] : undefined);
  lookup.origin = (name) => (env[name] !== undefined ? 'the environment' : fileOf.get(name));
  return {
    lookup,
    environment: { ...fromFiles, ...definedOnly(env) },
    files: candidates.map((f) => f.absolute),
    problems,
  };
}

/** The environment without its unset entries, so one cannot hide a file's value. */
function definedOnly(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}

async function defaultEnvFile(
  paths: string[],
  cwd: string,
): Promise<{ display: string; absolute: string } | undefined> {
  const first = paths[0];
  let shown = '.';
  if (first !== undefined && first !== '-') {
    const info = await stat(resolve(cwd, first)).catch(() => undefined);
    shown = info?.isDirectory() ? first : dirname(first);
  }
  const display = join(shown, '.env');
  const absolute = resolve(cwd, display);
  const info = await stat(absolute).catch(() => undefined);
  return info?.isFile() ? { display, absolute } : undefined;
}

async function readEnvFile(
  display: string,
  absolute: string,
  options: EnvFileOptions,
): Promise<
  { variables: Record<string, string> } | { problem: Problem; partial?: Record<string, string> }
> {
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    return {
      problem: {
        file: display,
        line: 1,
        column: 1,
        code: 'E_IO',
        message: ioMessage(display, error),
      },
    };
  }
  const parsed = parseEnvFile(text, options);
  if ('variables' in parsed) return parsed;
  const { line, column, code, message } = parsed.error;
  const problem: Problem = { file: display, line, column, code, message };
  return parsed.partial ? { problem, partial: parsed.partial } : { problem };
}
