import { existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { checkProject } from './consistency.js';
import { loadCompose } from './load.js';
import { ComposeInputError } from './located.js';
import { invalidProjectName, projectNameFromFolder } from './project-name.js';
import { fileObject, modeNetwork, networkObject, volumeObject } from './shared.js';
import { convertService } from './service.js';
import { carryVolumesFrom } from './volumes-from.js';
import { useBuiltImages } from './built-images.js';
import { nameServices } from './state.js';
import type { ImportedObject, ImportState, ImportWarning, Loss } from './state.js';
import {
  dotEnvWithBlankDefaults,
  dotEnvWithProject,
  dotEnvWithVariables,
  readIfExists,
} from './dot-env.js';
import { carryIncludedVariables } from './include-variables.js';
import { carryLinkAliases } from './link-aliases.js';
import { emitFiles } from './emit.js';
import { declareFromElsewhere } from './fragments.js';
import { projectVariables, unsetVariableWarnings } from './unset-variables.js';
import { fitPolicy, type ImportPolicy } from './policy-fit.js';
import { interpolate } from '../interpolate/resolve.js';
import { readEnvFileQuietly } from '../interpolate/env-file.js';
import { DEFAULT_POLICY } from '../policy.js';

export { ComposeInputError } from './located.js';
export type { ComposeProblem, Where } from './located.js';
export { defaultComposeFiles } from './load.js';
export type { Loss } from './state.js';
export type { ImportWarning } from './state.js';
export { policyFlagsFor } from './policy-hint.js';
export type { ImportPolicy } from './policy-fit.js';
export { IMPORT_HEADER } from './emit.js';

export interface ImportOptions {
  /** Compose files, absolute or relative to cwd, in override order. */
  files: string[];
  cwd: string;
  /** Folder the manifests are written to (relative paths are made relative to it). */
  outDir: string;
  /** `-p`; else the Compose `name:`; else the Compose folder's base name (as Compose). */
  projectName?: string;
  profiles: string[];
  /**
   * The environment import runs in, only to warn about unset variables (as docker compose
   * does); no value from it is written. Default: none (only `.env` counts).
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The policy the output will be applied under (import's `--policy`/`--allow-host-path`):
   * what it refuses is left out and named as a loss (policy-fit.ts). Default: baseline.
   */
  policy?: ImportPolicy;
  /**
   * Whether env files will be copied beside the manifests (`-o DIR`); false when the
   * manifests are only printed: they then name each env file at its own path. Default true.
   */
  copyFiles?: boolean;
}

/** What `berth import` produces: manifest files (name → text), files to copy, losses. */
export interface ImportResult {
  /** Output file name (relative to outDir) → YAML text, in a stable order. */
  manifests: Map<string, string>;
  /** Absolute source → name beside the manifests (env files). */
  copies: Map<string, string>;
  losses: Loss[];
  /**
   * Said on stderr, written anyway: variables that are not set (Compose's warning), a
   * container_name that becomes only an alias.
   */
  warnings: ImportWarning[];
  objects: ImportedObject[];
  /** Compose files read, relative to cwd. */
  files: string[];
  projectName: string;
  /**
   * `.env` for the output folder (DESIGN.md: copied so `apply -f DIR` sees the same values),
   * with the project name added (dotEnvWithProject); `source` is the project's own `.env`.
   */
  dotEnv: { source: string | undefined; text: string };
  /** The Compose project folder (the first file's), absolute. */
  projectDir: string;
}

/**
 * Converts Compose files into berth manifests. Pure apart from reading the input files
 * (nothing is written). Throws ComposeInputError for input that is not a valid Compose
 * project (`docker compose` refuses it too), naming every problem found by the consistency
 * checks; everything valid that berth cannot carry is returned as a Loss.
 */
export function importCompose(options: ImportOptions): ImportResult {
  const project = loadCompose(options.files, options.cwd, options.profiles, options.env);
  const first = relative(options.cwd, project.files[0] ?? '') || '-';
  const fallback = { file: first, line: 1, column: 1 };
  const fromElsewhere = declareFromElsewhere(project, fallback);
  const problems = checkProject(project, fallback);
  if (problems.length) throw ComposeInputError.of(problems);
  const projectName =
    options.projectName ??
    validName(resolvedName(project, options.env ?? {}), project.files, options.cwd) ??
    projectNameFromFolder(basename(project.dir));
  const included = carryIncludedVariables(project, options.env ?? {}, options.cwd);
  const carried = Object.fromEntries(included.carried.map((v) => [v.name, v.value]));
  const state: ImportState = {
    project,
    projectName,
    outDir: options.outDir,
    cwd: options.cwd,
    losses: fromElsewhere.losses,
    warnings: [
      ...fromElsewhere.warnings,
      ...unsetVariableWarnings(project, { ...carried, ...options.env }),
      ...included.warnings,
    ],
    objects: new Map(),
    names: new Map(),
    copies: new Map(),
    linkAliases: [],
    variables: projectVariables(project, options.env ?? {}),
    copyFiles: options.copyFiles ?? true,
    builtRefs: new Map(),
    undeclaredVolumes: fromElsewhere.undeclaredVolumes,
  };
  for (const { where, tag, path } of project.unknownTags)
    state.losses.push({
      where,
      path,
      why: `the YAML tag ${tag} is not one Compose knows (only !reset and !override): the value is read as if untagged`,
    });
  for (const { name, where } of project.partial)
    state.losses.push({
      where,
      path: `services.${name}`,
      why: 'has neither an image nor a build, so it runs no container (a fragment another Compose file completes; import them together)',
    });
  nameServices(state, Object.keys(project.services));
  for (const [name, svc] of Object.entries(project.services)) convertService(state, name, svc);
  carryLinkAliases(state, state.linkAliases);
  carryVolumesFrom(state);
  useBuiltImages(state);
  declaredButUnused(state);
  fitPolicy(state, options.policy ?? { policy: DEFAULT_POLICY, name: 'baseline' });
  const dotEnv = join(project.dir, '.env');
  const source = existsSync(dotEnv) ? dotEnv : undefined;
  const files = project.files.map((f) => relative(options.cwd, f) || f);
  const base = readIfExists(source ?? join(options.outDir, '.env'));
  // The project's own `.env` only: one an earlier import left in the output keeps its lines.
  const blanks =
    source && base !== undefined ? dotEnvWithBlankDefaults(base, options.env ?? {}) : undefined;
  for (const { name, line, column } of blanks?.blanked ?? [])
    state.warnings.push({
      where: { file: relative(options.cwd, dotEnv) || '.env', line, column },
      message: `The "${name}" variable is not set. Defaulting to a blank string.`,
    });
  return {
    manifests: emitFiles([...state.objects.values()], files, projectName),
    copies: state.copies,
    losses: state.losses,
    warnings: state.warnings,
    objects: [...state.objects.values()],
    files,
    projectName,
    projectDir: project.dir,
    dotEnv: {
      source,
      text: dotEnvWithVariables(
        dotEnvWithProject(blanks?.text ?? base, projectName),
        included.carried,
      ),
    },
  };
}

/** Compose creates declared volumes, networks, secrets and configs even when unused. */
function declaredButUnused(state: ImportState): void {
  const { project } = state;
  for (const name of Object.keys(project.volumes)) volumeObject(state, name);
  for (const name of Object.keys(project.networks))
    if (!modeNetwork(state, name)) networkObject(state, name);
  for (const name of Object.keys(project.secrets)) fileObject(state, 'Secret', name);
  for (const name of Object.keys(project.configs)) fileObject(state, 'Config', name);
}

/**
 * The top-level `name:` with its variables resolved, as Compose resolves it (the environment
 * first, then the project's `.env`): `name: ${PROJ:-shop}` is `shop` (F132: it became
 * `proj-shop`). Undefined when there is no name, or one that does not resolve (then the
 * folder's name counts, as for a blank one).
 */
function resolvedName(
  project: { name?: string; dir: string },
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (project.name === undefined || !project.name.includes('$')) return project.name;
  const dotEnv = readEnvFileQuietly(join(project.dir, '.env'), env);
  const resolved = interpolate(project.name, (name) => env[name] ?? dotEnv[name]);
  return 'value' in resolved && resolved.value.trim() ? resolved.value : undefined;
}

/**
 * The top-level `name:` as it is, refused at its line when it is not a valid project name, as
 * docker compose refuses it (F191: `name: MyApp.Prod` was imported as project `myappprod`).
 */
function validName(
  name: string | undefined,
  files: readonly string[],
  cwd: string,
): string | undefined {
  const why = name === undefined ? undefined : invalidProjectName(name);
  if (why === undefined) return name;
  // The last file with a top-level name: gives it (a later file wins, as in a merge).
  const located = files
    .map((file) => ({ file, line: lineOfName(file) }))
    .filter((f) => f.line > 0)
    .pop();
  const file = relative(cwd, located?.file ?? files[0] ?? '') || '-';
  const where = { file, line: located?.line ?? 1, column: 1 };
  throw new ComposeInputError(where, `name: ${why}`);
}

/** The 1-based line of the file's top-level `name:`, or 0. */
function lineOfName(file: string): number {
  const lines = (readIfExists(file) ?? '').split('\n');
  return lines.findIndex((l) => /^name\s*:/.test(l)) + 1;
}
