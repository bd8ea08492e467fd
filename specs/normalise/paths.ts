import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

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
