import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { isExcluded, parseDockerignore } from './dockerignore.js';
import type { IgnoreRule } from './dockerignore.js';

async function readRules(contextDir: string): Promise<IgnoreRule[]> {
  try {
    return parseDockerignore(await readFile(join(contextDir, '.dockerignore'), 'utf8'));
  } catch {
    return [];
  }
}

/** Which paths of a build context are sent: the one decision listing and watching share. */
export interface ContextFilter {
  /** The file at `relative` (`/` separators) is not sent. */
  excludesFile(relative: string): boolean;
  /** Nothing under the folder at `relative` can be sent: it need not be walked or watched. */
  skipsFolder(relative: string): boolean;
}

/**
 * The context's `.dockerignore` read once, as a filter. `.dockerignore` and the Dockerfile are
 * always sent, as the Docker CLI does; a folder can be skipped whole only when no `!` rule
 * could bring something back and it does not hold the Dockerfile.
 */
export async function contextFilter(
  contextDir: string,
  dockerfile = 'Dockerfile',
): Promise<ContextFilter> {
  const rules = await readRules(contextDir);
  const canSkipFolders = !rules.some((rule) => rule.negated);
  const always = new Set(['.dockerignore', posix.normalize(dockerfile)]);
  const excludesFile = (path: string) => isExcluded(rules, path) && !always.has(path);
  return {
    excludesFile,
    // A folder that holds the Dockerfile is walked even when ignored (issue 19 item 5).
    skipsFolder: (path) =>
      canSkipFolders && excludesFile(path) && ![...always].some((p) => p.startsWith(`${path}/`)),
  };
}

/**
 * The files of a build context that are sent to the engine: relative paths with `/`
 * separators, sorted, honouring `.dockerignore` ({@link contextFilter}). Symbolic links are
 * listed, not followed.
 */
export async function listBuildContext(
  contextDir: string,
  dockerfile = 'Dockerfile',
): Promise<string[]> {
  const filter = await contextFilter(contextDir, dockerfile);
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(contextDir, relative), { withFileTypes: true });
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!filter.skipsFolder(path)) await walk(path);
      } else if (!filter.excludesFile(path)) found.push(path);
    }
  };
  await walk('');
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Of the files always sent (`.dockerignore`, the Dockerfile), those `.dockerignore` itself
 * excludes: the builder reads them but they are no part of the context (`COPY .` leaves them
 * out under the legacy builder, as with the docker CLI).
 */
export async function builderOnlyFiles(
  contextDir: string,
  dockerfile = 'Dockerfile',
): Promise<string[]> {
  const rules = await readRules(contextDir);
  return ['.dockerignore', posix.normalize(dockerfile)].filter((path) => isExcluded(rules, path));
}

/**
 * sha256 over the sent files (path, mode, content) and the Dockerfile: the content a build
 * is made of (with the args, what decides whether a built image is stale: build-key.ts).
 * Independent of file timestamps. `inline`: the Dockerfile's text when it is declared inline
 * (then `dockerfile` names no file).
 */
export async function buildContentHash(
  contextDir: string,
  dockerfile: string,
  inline?: string,
): Promise<string> {
  const hash = createHash('sha256');
  for (const path of await listBuildContext(contextDir, dockerfile)) {
    const absolute = join(contextDir, path);
    const info = await stat(absolute).catch(() => undefined);
    hash.update(`${path}\0${(info?.mode ?? 0) & 0o777}\0`);
    if (info?.isFile()) hash.update(await readFile(absolute));
    hash.update('\0');
  }
  hash.update(inline ?? (await readFile(join(contextDir, dockerfile))));
  return hash.digest('hex');
}
