import { homedir } from 'node:os';
import { isAbsolute, join, posix, resolve } from 'node:path';

/**
 * A path written in a manifest, made absolute: `~` and `~/…` are the user's home folder
 * (`$HOME`), as Compose expands them (issue 19 item 2: `~/cache` once became a folder named
 * `~` beside the manifest); other relative paths resolve against `baseDir`. `~user/…` is
 * not expanded, as in Compose. Used for host paths, build contexts and env files.
 */
export function resolveManifestPath(
  baseDir: string,
  path: string,
  home: string = homedir(),
): string {
  if (path === '~') return resolve(home);
  if (path.startsWith('~/')) return join(resolve(home), path.slice(2));
  return isAbsolute(path) ? resolve(path) : resolve(baseDir, path);
}

/**
 * A path in the container as the engine reads it (Go's filepath.Clean: `/t/` and `/a//b/../t`
 * are `/t`), so a respelling is no spec change that recreates the container (F279 d) and two
 * spellings of one path are one mount point (F461). A relative one stays as written, for its
 * problem (container-values.ts).
 */
export function cleanContainerPath(target: string): string {
  if (!target.startsWith('/')) return target;
  const clean = posix.normalize(target);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}
