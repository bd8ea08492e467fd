import { realpathSync } from 'node:fs';
import { posix } from 'node:path';

/**
 * The host path the engine really reaches for absolute `path`: every symbolic link along it
 * followed (realpath of the longest part that exists, the rest appended as written, since a
 * bind mount may create it). Reads the file system; never throws (an unreadable path is
 * returned as written).
 */
export function realHostPath(path: string): string {
  const rest: string[] = [];
  let head = path;
  for (;;) {
    try {
      return posix.join(realpathSync.native(head), ...rest);
    } catch {
      const parent = posix.dirname(head);
      if (parent === head) return path;
      rest.unshift(posix.basename(head));
      head = parent;
    }
  }
}
