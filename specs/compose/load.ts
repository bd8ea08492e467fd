import { serviceKeyTypo } from './service-keys.js';
import { checkShape } from './shape.js';
import { COMPOSE_FILE } from './compose-shapes.js';
import { checkCommandStrings } from './command-strings.js';
import { checkInterpolationSyntax } from './interpolation-syntax.js';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ComposeInputError, isRecord, placeKey, whereKey } from './located.js';
import type { UnknownTag, Where } from './located.js';
import { mergeTrees } from './merge.js';
import { normaliseService } from './normalise.js';
import { checkNetworkList } from './network-list.js';
import { DEFAULT_FILES } from './project-name.js';
import { readEnvFileQuietly } from '../interpolate/env-file.js';
import { SECTIONS, section } from './load-context.js';
import type { LoadContext } from './load-context.js';
import { absolutiseBindDevices, absolutiseFiles, checkTopLevel, parseFile } from './read-file.js';
import { addIncluded, includeEntry } from './include-entry.js';
import { resolveExtends, resolveFileExtends } from './extends.js';

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
    resolveFileExtends(section(tree, 'services'), file, ctx, readTree);
    merged = merged ? mergeTrees(merged, tree) : tree;
  }
  const tree = merged ?? {};
  const services = section(tree, 'services') as Record<string, Record<string, unknown>>;
  for (const name of Object.keys(services))
    services[name] = resolveExtends(name, services, files[0]!, ctx, readTree, []);
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

/** The tree of `file` as loadFile reads it: how extends.ts reads an `extends: {file: …}` base. */
function readTree(file: string, ctx: LoadContext): Record<string, unknown> {
  return loadFile(file, ctx).tree;
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
