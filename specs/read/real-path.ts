import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { posix } from 'node:path';

/** Links followed at most, as the kernel's own limit (ELOOP after 40). */
const MAX_LINKS = 40;

/**
 * The host path the engine really reaches for absolute `path`: every symbolic link along it
 * followed — realpath of the longest part that exists, the rest appended as written (a bind
 * mount may create it). A link whose target does not exist yet counts as its target (F111:
 * `./dang -> /etc/new-file` with `type: FileOrCreate` made the engine create a file in the
 * host's /etc). Reads the file system; never throws (an unreadable path is returned as written).
 */
export function realHostPath(path: string, links = 0): string {
  const rest: string[] = [];
  let head = path;
  for (;;) {
    try {
      return posix.join(realpathSync.native(head), ...rest);
    } catch {
      const target = linkTarget(head);
      if (target !== undefined && links < MAX_LINKS)
        return posix.join(
          realHostPath(posix.resolve(posix.dirname(head), target), links + 1),
          ...rest,
        );
      const parent = posix.dirname(head);
      if (parent === head) return path;
      rest.unshift(posix.basename(head));
      head = parent;
    }
  }
}

/** Where symbolic link `path` points (as written), or undefined when it is no link. */
function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}
