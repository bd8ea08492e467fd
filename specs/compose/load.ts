import { serviceKeyTypo } from './service-keys.js';
import { checkShape } from './shape.js';
import { COMPOSE_FILE } from './compose-shapes.js';
import { checkCommandStrings } from './command-strings.js';
import { checkInterpolationSyntax } from './interpolation-syntax.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  ComposeInputError,
  isRecord,
  placeKey,
  readLocated,
  whereKey,
  whereNode,
} from './located.js';
import type { UnknownTag, Where } from './located.js';
import { mergeTrees } from './merge.js';
import { hostPath, normaliseService } from './normalise.js';
import { checkNetworkList } from './network-list.js';
import { isBindVolume } from '../volume-options.js';
import { DEFAULT_FILES } from './project-name.js';
import { readEnvFileQuietly } from '../interpolate/env-file.js';
import { interpolate } from '../interpolate/resolve.js';

/** The Compose model after overrides, `include`, `extends` and profiles: what import converts. */
export interface ComposeProject {
  /** Top-level `name`, if any file set one. */
  name?: string;
  services: Record<string, Record<string, unknown>>;
  networks: Record<string, unknown>;
  volumes: Record<string, unknown>;
  secrets: Record<string, unknown>;
  configs: Record<string, unknown>;
  /** Absolute paths of every file read, in order. */
  files: string[];
  /** The project folder: the first file's folder (where `.env` is looked for). */
  dir: string;
  /** Services left out because none of their profiles is active. */
  inactive: string[];
  /** Services left out because they have neither an image nor a build (fragments). */
  partial: { name: string; where: Where }[];
  /**
   * Files read for an `include` (as shown, relative to cwd) → the env files their variables
   * fall back on: one list per include level around them, outermost first (include-variables.ts).
   * Files of the main project are absent.
   */
  includeScopes: Map<string, string[][]>;
  /** YAML tags Compose does not know, in every file read (located.ts UnknownTag). */
  unknownTags: UnknownTag[];
}

const SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;
const TOP_LEVEL = new Set(['version', 'name', 'include', 'models', ...SECTIONS]);

export { DEFAULT_FILES };

/**
 * The files `docker compose` would read in `cwd` without `-f`: the first default file that
 * exists and the override file beside it. Throws ComposeInputError when there is none.
 */
export function defaultComposeFiles(cwd: string): string[] {
  const main = DEFAULT_FILES.find((f) => existsSync(join(cwd, f)));
  if (!main)
    throw new ComposeInputError(
      { file: cwd, line: 1, column: 1 },
      `no Compose file here (looked for ${DEFAULT_FILES.join(', ')})`,
    );
  const stem = main.replace(/\.ya?ml$/, '');
  const override = ['.override.yaml', '.override.yml']
    .map((ext) => stem + ext)
    .find((f) => existsSync(join(cwd, f)));
  return [main, ...(override ? [override] : [])].map((f) => join(cwd, f));
}

interface LoadContext {
  /** How file names appear in messages: relative to here. */
  cwd: string;
  /** Files on the current include/extends path, for cycle detection. */
  stack: string[];
  cache: Map<string, Record<string, unknown>>;
  /** The env files of each include level around the file being read, outermost first. */
  envLevels: string[][];
  /** What ComposeProject.includeScopes reports. */
  scopes: Map<string, string[][]>;
  /** The project's variables (the environment, then its `.env`), for `include` entries. */
  lookup: (name: string) => string | undefined;
  unknownTags: UnknownTag[];
}

/**
 * Reads and merges Compose files into one ComposeProject. `profiles` are the active
 * profiles (`--profile`); `env` the environment import runs in, only for the variables of
 * `include` entries (as Compose resolves them before it reads the files). Throws
 * ComposeInputError with the position of the first problem.
 */
export function loadCompose(
  files: string[],
  cwd: string,
  profiles: string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ComposeProject {
  const absolute = files.map((f) => resolve(cwd, f));
  const dotEnv = readEnvFileQuietly(join(dirname(absolute[0] ?? cwd), '.env'), env);
  const lookup = (name: string) =>
    env[name] ?? (Object.hasOwn(dotEnv, name) ? dotEnv[name] : undefined);
  const ctx: LoadContext = {
    cwd,
    stack: [],
    cache: new Map(),
    envLevels: [],
    scopes: new Map(),
    lookup,
    unknownTags: [],
  };
  const project = loadMerged(absolute, ctx);
  const active = (svc: Record<string, unknown>) => {
    const wanted = Array.isArray(svc.profiles) ? svc.profiles.map(String) : [];
    return (
      wanted.length === 0 || wanted.some((p) => profiles.includes(p) || profiles.includes('*'))
    );
  };
  const inactive = Object.keys(project.services).filter((n) => !active(project.services[n]!));
  refuseAllInactive(project.services, inactive, absolute[0] ?? cwd);
  for (const name of inactive) delete project.services[name];
  return { ...project, inactive, includeScopes: ctx.scopes, unknownTags: ctx.unknownTags };
}

/**
 * F500: a project whose every service sits behind a profile none of `--profile` names would
 * import to nothing (validate then refuses the empty output; docker compose up says "no
 * service selected"). Refused at once, naming the profiles to choose from.
 */
function refuseAllInactive(
  services: Record<string, Record<string, unknown>>,
  inactive: string[],
  file: string,
): void {
  const first = inactive[0];
  if (first === undefined || inactive.length < Object.keys(services).length) return;
  const profiles = [
    ...new Set(
      inactive.flatMap((name) => {
        const listed = services[name]!.profiles;
        return Array.isArray(listed) ? listed.map(String) : [];
      }),
    ),
  ];
  throw new ComposeInputError(
    whereKey(services, first) ?? { file, line: 1, column: 1 },
    `every service is behind a profile (${profiles.join(', ')}) and none is active: ` +
      `choose one with --profile (nothing imported)`,
  );
}

/**
 * Reads and merges `files`; relative paths in them are against `dir` (an included project's
 * `project_directory`), else against the first file's folder, the project folder (F198).
 */
function loadMerged(
  files: string[],
  ctx: LoadContext,
  dir?: string,
): Omit<ComposeProject, 'inactive' | 'includeScopes' | 'unknownTags'> {
  let merged: Record<string, unknown> | undefined;
  const read: string[] = [];
  // Compose resolves the relative paths of every -f file against the project folder, the
  // first file's (docker compose reference; F198), not the folder each file lives in.
  const projectDir = dirname(files[0] ?? ctx.cwd);
  for (const file of files) {
    const { tree, files: included } = loadFile(file, ctx, dir ?? projectDir);
    read.push(file, ...included);
    resolveFileExtends(section(tree, 'services'), file, ctx);
    merged = merged ? mergeTrees(merged, tree) : tree;
  }
  const tree = merged ?? {};
  const services = section(tree, 'services') as Record<string, Record<string, unknown>>;
  for (const name of Object.keys(services))
    services[name] = resolveExtends(name, services, files[0]!, ctx, []);
  const partial = partialServices(services, files[0]!);
  for (const { name } of partial) delete services[name];
  return {
    partial,
    name: typeof tree.name === 'string' ? tree.name : undefined,
    services,
    networks: section(tree, 'networks'),
    volumes: section(tree, 'volumes'),
    secrets: section(tree, 'secrets'),
    configs: section(tree, 'configs'),
    files: [...new Set(read)],
    dir: dirname(files[0] ?? ctx.cwd),
  };
}

/**
 * Services with neither an image nor a build (a provider service has neither, and is
 * kept): docker compose refuses them; in real files they are fragments another file
 * completes (an app store's base file, an override). Taken out of the project so the
 * rest still converts, and named as losses; a file whose every service is such a fragment
 * is refused (ComposeInputError), as there is nothing to convert.
 */
function partialServices(
  services: Record<string, Record<string, unknown>>,
  file: string,
): ComposeProject['partial'] {
  const partial = Object.entries(services)
    .filter(([, svc]) => !('image' in svc || 'build' in svc || 'provider' in svc))
    .map(([name]) => ({ name, where: whereKey(services, name) ?? { file, line: 1, column: 1 } }));
  const first = partial[0];
  if (first && partial.length === Object.keys(services).length)
    throw new ComposeInputError(
      first.where,
      `services.${first.name}: has neither an image nor a build${
        partial.length > 1 ? ', nor has any other service' : ''
      }: this file completes another Compose file (import them together: -f base.yaml -f this.yaml)`,
    );
  return partial;
}

function section(tree: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = tree[key];
  return isRecord(value) ? value : {};
}

/**
 * Reads one file: checks its top level, normalises its services (relative paths against
 * `dir`, by default the file's own folder), folds its `include`s in.
 */
function loadFile(
  file: string,
  ctx: LoadContext,
  dir = dirname(file),
): { tree: Record<string, unknown>; files: string[] } {
  const shown = relative(ctx.cwd, file) || file;
  if (ctx.stack.includes(file))
    throw new ComposeInputError(
      { file: shown, line: 1, column: 1 },
      `include cycle: ${[...ctx.stack, file].map((f) => relative(ctx.cwd, f)).join(' → ')}`,
    );
  const tree = parseFile(file, shown, ctx);
  if (ctx.envLevels.length && !ctx.scopes.has(shown)) ctx.scopes.set(shown, ctx.envLevels);
  checkTopLevel(tree, shown);
  checkShape(tree, COMPOSE_FILE, '', () => ({ file: shown, line: 1, column: 1 }));
  checkInterpolationSyntax(tree, shown);
  const services = section(tree, 'services');
  for (const [name, svc] of Object.entries(services)) {
    const at = whereKey(services, name) ?? { file: shown, line: 1, column: 1 };
    if (!/^[a-zA-Z0-9._-]+$/.test(name))
      throw new ComposeInputError(at, `services.${name}: not a valid service name`);
    if (svc !== null && !isRecord(svc))
      throw new ComposeInputError(at, `services.${name}: must be a mapping`);
    for (const key of Object.keys(svc ?? {})) {
      const typo = serviceKeyTypo(key);
      if (typo !== undefined)
        throw new ComposeInputError(
          whereKey(svc, key) ?? at,
          `services.${name}.${key}: not a Compose service field; did you mean "${typo}"?`,
        );
    }
    checkCommandStrings((svc ?? {}) as Record<string, unknown>, name, at);
    checkNetworkList((svc ?? {}) as Record<string, unknown>, name, at);
    services[name] = normaliseService(svc ?? {}, dir);
    placeKey(services, name, at);
  }
  for (const kind of ['secrets', 'configs'] as const) absolutiseFiles(section(tree, kind), dir);
  absolutiseBindDevices(section(tree, 'volumes'), dir);
  const included = foldIncludes(tree, file, shown, ctx, dir);
  return { tree, files: included };
}

function parseFile(file: string, shown: string, ctx: LoadContext): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e);
    throw new ComposeInputError({ file: shown, line: 1, column: 1 }, `cannot read: ${reason}`);
  }
  const tree = readLocated(text, shown, (tag) => {
    const { file, line, column } = tag.where;
    const same = (t: UnknownTag) =>
      t.where.file === file && t.where.line === line && t.where.column === column;
    if (!ctx.unknownTags.some(same)) ctx.unknownTags.push(tag);
  });
  if (tree === null) return {};
  if (!isRecord(tree))
    throw new ComposeInputError(
      whereNode(tree) ?? { file: shown, line: 1, column: 1 },
      'not a Compose file: the top level must be a mapping',
    );
  ctx.cache.set(file, tree);
  return tree;
}

function checkTopLevel(tree: Record<string, unknown>, shown: string): void {
  for (const key of Object.keys(tree)) {
    if (TOP_LEVEL.has(key) || key.startsWith('x-')) continue;
    const at = whereKey(tree, key) ?? { file: shown, line: 1, column: 1 };
    const value = tree[key];
    if (!('services' in tree) && isRecord(value) && ('image' in value || 'build' in value))
      throw new ComposeInputError(
        at,
        `a version 1 Compose file (services at the top level, no "services:"); ` +
          `move them under "services:" first`,
      );
    throw new ComposeInputError(
      at,
      `unknown top-level key "${key}" (expected ${[...TOP_LEVEL].join(', ')} or x-*)`,
    );
  }
  for (const key of SECTIONS) {
    const value = tree[key];
    if (value !== undefined && value !== null && !isRecord(value))
      throw new ComposeInputError(whereKey(tree, key)!, `${key}: must be a mapping`);
  }
}

function absolutiseFiles(objects: Record<string, unknown>, dir: string): void {
  for (const obj of Object.values(objects))
    if (isRecord(obj) && typeof obj.file === 'string') obj.file = hostPath(obj.file, dir);
}

/**
 * A local volume that binds a host folder (`driver_opts: {o: bind, device: ./data}`) names a
 * path relative to its Compose file, as Compose resolves it (F90); kept relative in the output.
 */
function absolutiseBindDevices(volumes: Record<string, unknown>, dir: string): void {
  for (const volume of Object.values(volumes)) {
    const opts = isRecord(volume) ? volume.driver_opts : undefined;
    if (!isRecord(opts) || typeof opts.device !== 'string') continue;
    const o = typeof opts.o === 'string' ? opts.o : '';
    if (isBindVolume({ o })) opts.device = hostPath(opts.device, dir);
  }
}

/**
 * Merges the services and objects of every `include` entry into `tree`; returns the files
 * read. `dir` is the including project's folder, against which an entry's relative `path`,
 * `project_directory` and `env_file` resolve (compose-go `ApplyInclude`).
 */
function foldIncludes(
  tree: Record<string, unknown>,
  file: string,
  shown: string,
  ctx: LoadContext,
  dir: string,
): string[] {
  const entries = tree.include;
  if (entries === undefined) return [];
  const at = whereKey(tree, 'include')!;
  if (!Array.isArray(entries)) throw new ComposeInputError(at, 'include: must be a list');
  const read: string[] = [];
  entries.forEach((entry, i) => {
    const where = whereKey(entries, i) ?? at;
    const include = includeEntry(entry, where, dir, ctx);
    const outerLevels = ctx.envLevels;
    ctx.stack.push(file);
    ctx.envLevels = [...outerLevels, include.envFiles];
    const sub = loadMerged(include.paths, ctx, include.projectDir);
    ctx.envLevels = outerLevels;
    ctx.stack.pop();
    read.push(...sub.files);
    for (const kind of SECTIONS) addIncluded(tree, kind, sub[kind], where);
  });
  return read;
}

/** One `include` entry, its paths absolute: the files, the project folder, the env files. */
interface IncludeEntry {
  paths: string[];
  projectDir: string;
  envFiles: string[];
}

/**
 * Reads an entry of `include`: a path, or `{path, project_directory, env_file}` (compose
 * spec `include`). `project_directory` defaults to the first file's folder; `env_file`
 * (relative to the including project, as compose-go reads it) to the `.env` in it, if any.
 */
function includeEntry(entry: unknown, where: Where, dir: string, ctx: LoadContext): IncludeEntry {
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
function addIncluded(
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

/**
 * Resolves the `extends` of one file's services before the next file is merged in, as
 * Compose does (compose-go: extends per document, then the override merge; F261): an
 * override's additions to `app` stay on `app` and are not inherited by `debug: {extends:
 * app}`. A service whose base is not in this file (an override extending a service of the
 * main file) is left for the pass after the merge, which also reports a missing base.
 */
function resolveFileExtends(
  services: Record<string, unknown>,
  file: string,
  ctx: LoadContext,
): void {
  for (const name of Object.keys(services)) {
    try {
      services[name] = resolveExtends(name, services, file, ctx, []);
    } catch (e) {
      if (!(e instanceof ComposeInputError)) throw e;
    }
  }
}

/**
 * A service with its `extends` chain merged in (base first). Same-file and `file:` forms;
 * a cycle or a missing base is a ComposeInputError at the `extends` key.
 */
function resolveExtends(
  name: string,
  services: Record<string, unknown>,
  file: string,
  ctx: LoadContext,
  chain: string[],
): Record<string, unknown> {
  const svc = services[name] as Record<string, unknown>;
  const ext = svc.extends;
  if (ext === undefined) return svc;
  const at = whereKey(svc, 'extends')!;
  if (!isRecord(ext) || typeof ext.service !== 'string')
    throw new ComposeInputError(at, `services.${name}.extends: needs a service name`);
  const baseFile = typeof ext.file === 'string' ? ext.file : file;
  const id = `${file}#${name}`;
  if (chain.includes(id))
    throw new ComposeInputError(
      at,
      `extends cycle: ${[...chain, id].map((c) => c.split('#')[1]).join(' → ')}`,
    );
  const baseServices =
    baseFile === file ? services : section(loadFile(baseFile, ctx).tree, 'services');
  if (!isRecord(baseServices[ext.service]))
    throw new ComposeInputError(
      at,
      `services.${name}.extends: no service "${ext.service}" in ${relative(ctx.cwd, baseFile)}`,
    );
  const base = resolveExtends(ext.service, baseServices, baseFile, ctx, [...chain, id]);
  const own = { ...svc };
  for (const k of Object.keys(svc)) placeKey(own, k, whereKey(svc, k));
  delete own.extends;
  return mergeTrees(stripInherited(base), own);
}

/** Keys a base service never passes on (Compose: the extending service keeps its own). */
function stripInherited(base: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const k of Object.keys(base)) placeKey(out, k, whereKey(base, k));
  delete out.container_name;
  return out;
}
