/**
 * The desired side's public API: read manifests, validate them strictly, normalise them
 * into the model, and answer questions about a set (cross-object checks, order).
 */
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { DesiredObject, DesiredSet, Kind } from './model.js';
import { sortProblems } from './problems.js';
import type { Problem } from './problems.js';
import { DEFAULT_POLICY } from './policy.js';
import type { Policy } from './policy.js';
import { STDIN_NAME, collectManifestFiles } from './read/collect.js';
import type { ManifestFile } from './read/collect.js';
import { readManifest, type DecodeResult } from './read/decode.js';
import { parseAhead, parseManifestText } from './parse/documents.js';
import { checkDocument } from './validate/document.js';
import { normaliseManifest } from './normalise/object.js';
import { linkObjects } from './link.js';
import { loadVariables } from './interpolate/variables.js';
import type { VariableLookup } from './interpolate/resolve.js';
import { checkSet } from './check-set.js';
import { expandDeclared } from './expand.js';

export { checkSet } from './check-set.js';
export type { CheckSetOptions } from './check-set.js';
export { dependencyOrder } from './order.js';
export { linkObjects, isLiteralImageRef } from './link.js';
export { specHash, canonicalJSON } from './hash.js';
export { DEFAULT_POLICY, POLICY_NAMES, hostPathViolation, policyFor } from './policy.js';
export type { Policy, PolicyName } from './policy.js';
export { engineApiProblems, needsEngineApiCheck, FIELD_MIN_API } from './engine-api.js';
export {
  engineFieldProblems,
  limitedFieldLabel,
  limitedFieldUses,
  usesEngineFields,
} from './engine-fields.js';
export type { EngineField, EngineLimits } from './engine-fields.js';
export { collectManifestFiles, STDIN_NAME } from './read/collect.js';
export type { ManifestFile } from './read/collect.js';
export {
  builderOnlyFiles,
  buildContentHash,
  contextFilter,
  listBuildContext,
} from './build/context.js';
export type { ContextFilter } from './build/context.js';
export { buildKey } from './build/build-key.js';
export { inside, referencedPaths } from './referenced-paths.js';
export type { ReferencedPaths } from './referenced-paths.js';
export { referencedFingerprint } from './referenced-stats.js';
export { positionOf } from './positions.js';
export { DEFAULT_NETWORK, expandDeclared, replicaName, scaledToZero } from './expand.js';

export interface LoadOptions {
  /** The text of stdin, already read, for the path `-`. */
  stdin?: string | undefined;
  policy?: Policy | undefined;
  /** Accept input that declares no objects at all (default: E_EMPTY, so a wrong path cannot prune everything). */
  allowEmpty?: boolean | undefined;
  /** Folder that relative paths (and stdin's host paths) resolve against; default process.cwd(). */
  cwd?: string | undefined;
  /**
   * A git checkout mapped onto the host: relative BindMount host paths of files under
   * `checkout` resolve as if the repository were at `hostRoot` (DESIGN.md `--host-root`).
   */
  hostRoot?: { checkout: string; hostRoot: string } | undefined;
  /** berth's environment for interpolation; default process.env. It wins over env files. */
  env?: NodeJS.ProcessEnv | undefined;
  /** `--env-file` paths (relative to cwd, later wins); none: `.env` beside the first path. */
  envFiles?: string[] | undefined;
  /**
   * Compute each object's spec hash (default true). `validate` turns it off: it never
   * compares the set with an engine, and hashing was a tenth of its time (issue 18).
   */
  hash?: boolean | undefined;
  /** `--backend swarm`: replicas of one container may share a host port (one per node). */
  portsPerNode?: boolean | undefined;
}

/** One file's outcome, so a watcher can keep the last good objects of a broken file. */
export interface FileResult {
  /** As shown in problems: the path the user gave, joined with the path inside a folder; `<stdin>`. */
  file: string;
  /** The objects of this file that normalised, linked against the whole set. */
  objects: DesiredObject[];
  /** Every problem located in this file, cross-object ones included, sorted. */
  problems: Problem[];
}

export interface LoadResult {
  /** Every object that normalised (linked, hashed), whether or not other files had problems. */
  set: DesiredSet;
  /** Every problem of every file, sorted. Callers must not act on `set` when this is non-empty. */
  problems: Problem[];
  /**
   * Said on stderr, never refused: an unset `${VAR}` in a container's env file, left blank
   * as docker compose leaves it (F188). Sorted.
   */
  warnings: Problem[];
  files: FileResult[];
}

interface FileObjects {
  file: ManifestFile;
  objects: DesiredObject[];
  problems: Problem[];
  warnings: Problem[];
  brokenDeclarations: { kind: Kind; name: string }[];
}

/**
 * Reads, validates and normalises the manifests under `paths` (files, folders, `-`).
 * Never throws on bad input: everything wrong, in every file, ends up in `problems`.
 */
export async function loadManifests(
  paths: string[],
  options: LoadOptions = {},
): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const policy = options.policy ?? DEFAULT_POLICY;
  const collected = await collectManifestFiles(paths, cwd);
  const variables = await loadVariables({
    paths,
    cwd,
    envFiles: options.envFiles,
    env: options.env ?? process.env,
  });
  const context: FileContext = {
    cwd,
    policy,
    lookup: variables.lookup,
    env: variables.environment,
    ...(options.hostRoot ? { hostRoot: options.hostRoot } : {}),
  };
  const manifests = collected.files;
  const perFile: FileObjects[] = [];
  // Each file is read from disk while the one before it is parsed, and handed to the YAML
  // helper thread (when there is one) while the one before it is normalised and checked.
  let next = manifests[0] ? readManifest(manifests[0], options.stdin) : undefined;
  for (const [i, file] of manifests.entries()) {
    const read = await (next as Promise<DecodeResult>);
    const following = manifests[i + 1];
    const nextRead = following ? readManifest(following, options.stdin) : undefined;
    next = nextRead;
    const parseNext = async () => {
      const ahead = following && (await nextRead);
      if (ahead && !('problem' in ahead)) parseAhead(ahead.text, following.display);
    };
    perFile.push(await loadFile(file, read, context, parseNext));
  }

  const expanded = expandDeclared(perFile.map((f) => f.objects));
  perFile.forEach((f, i) => (f.objects = expanded[i] ?? []));
  const linked = linkObjects(
    perFile.flatMap((f) => f.objects),
    { hash: options.hash ?? true },
  );
  const setProblems = checkSet(linked, {
    alsoDeclared: perFile.flatMap((f) => f.brokenDeclarations),
    ...(options.portsPerNode ? { portsPerNode: true } : {}),
  });
  let offset = 0;
  const files: FileResult[] = perFile.map((f) => {
    const objects = linked.slice(offset, offset + f.objects.length);
    offset += f.objects.length;
    const own = setProblems.filter((p) => p.file === f.file.display);
    return { file: f.file.display, objects, problems: sortProblems([...f.problems, ...own]) };
  });
  const problems = sortProblems([
    ...collected.problems,
    ...variables.problems,
    ...perFile.flatMap((f) => f.problems),
    ...setProblems,
  ]);
  if (linked.length === 0 && problems.length === 0 && !options.allowEmpty) {
    problems.push(emptyProblem(paths));
  }
  const absolute = collected.files.map((f) => f.absolute).filter((a) => a !== '-');
  const warnings = sortProblems(perFile.flatMap((f) => f.warnings));
  return {
    set: { objects: linked, files: [...new Set(absolute)].sort() },
    problems,
    warnings,
    files,
  };
}

function emptyProblem(paths: string[]): Problem {
  const file = paths[0] === '-' ? STDIN_NAME : (paths[0] ?? '');
  const where = paths.length === 0 ? 'no paths' : paths.join(', ');
  return { file, line: 1, column: 1, code: 'E_EMPTY', message: `no objects found in ${where}` };
}

/** What loading every file of one set shares. */
interface FileContext {
  cwd: string;
  policy: Policy;
  lookup: VariableLookup;
  hostRoot?: LoadOptions['hostRoot'];
  env: NodeJS.ProcessEnv;
}

/**
 * One file's objects, problems and warnings from what `readManifest` gave for it.
 * `afterParse` runs once its text is parsed, before its documents are checked.
 */
async function loadFile(
  file: ManifestFile,
  read: DecodeResult,
  { cwd, policy, lookup, hostRoot, env }: FileContext,
  afterParse: () => Promise<void>,
): Promise<FileObjects> {
  const result: FileObjects = {
    file,
    objects: [],
    problems: [],
    warnings: [],
    brokenDeclarations: [],
  };
  if ('problem' in read) {
    result.problems.push(read.problem);
    await afterParse();
    return result;
  }
  const parsed = parseManifestText(read.text, file.display, lookup);
  await afterParse();
  result.problems.push(...parsed.problems);
  const baseDir = file.absolute === '-' ? cwd : dirname(file.absolute);
  const hostBaseDir = hostRoot ? mapOntoHost(baseDir, hostRoot) : baseDir;
  for (const doc of parsed.documents) {
    const checked = checkDocument(doc);
    if (doc.unresolved) {
      // Its variables are already reported; schema problems of the unresolved text would be noise.
      if (checked.manifest) result.brokenDeclarations.push(declaredBy(checked.manifest));
      else if (checked.declared) result.brokenDeclarations.push(checked.declared);
      continue;
    }
    if (!checked.manifest) {
      result.problems.push(...checked.problems);
      if (checked.declared) result.brokenDeclarations.push(checked.declared);
      continue;
    }
    const normalised = await normaliseManifest(
      checked.manifest,
      doc,
      baseDir,
      policy,
      hostBaseDir,
      env,
      lookup,
    );
    result.problems.push(...normalised.problems);
    result.warnings.push(...normalised.warnings);
    if (normalised.object) result.objects.push(withFolder(normalised.object, file, baseDir));
    else result.brokenDeclarations.push(declaredBy(checked.manifest));
  }
  return result;
}

/**
 * The object with the absolute folder it was read from (unset for stdin). Set in place: the
 * object was made for this file just now, and its value positions are kept by its identity
 * (positions.ts), so a copy would have to carry them over (issue 12: 1,000 copies).
 */
function withFolder(object: DesiredObject, file: ManifestFile, folder: string): DesiredObject {
  if (file.absolute !== '-') object.folder = folder;
  return object;
}

/** `folder` inside `checkout`, moved to the same place under `hostRoot`; other folders stay. */
function mapOntoHost(folder: string, map: { checkout: string; hostRoot: string }): string {
  const inside = relative(map.checkout, folder);
  if (inside.startsWith('..') || isAbsolute(inside)) return folder;
  return join(map.hostRoot, inside);
}

function declaredBy(manifest: { kind: Kind; metadata: { name: string } }): {
  kind: Kind;
  name: string;
} {
  return { kind: manifest.kind, name: manifest.metadata.name };
}
