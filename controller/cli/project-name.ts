import { basename, dirname, resolve } from 'node:path';
import { statSync } from 'node:fs';

/**
 * The project name per DESIGN.md: `--project`, else the base name of the first applied
 * folder (or of a file's folder), else the current folder's — as Compose does. Made safe
 * for engine names the way Compose does it: lower case, only [a-z0-9_-].
 */
export function resolveProjectName(flag: string | undefined, paths: string[], cwd: string): string {
  if (flag) return sanitizeProjectName(flag);
  const first = paths.find((p) => p !== '-');
  return sanitizeProjectName(basename(first ? folderOf(resolve(cwd, first)) : cwd));
}

function folderOf(path: string): string {
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return dirname(path);
  }
}

export function sanitizeProjectName(raw: string): string {
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[-_]+/, '');
  return cleaned || 'default';
}
