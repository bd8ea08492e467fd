import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BerthError } from '../errors.js';
import type { OtherSourceDeletion } from '../plan/plan-other-sources.js';

/** The folders an apply reads from: each `-f` folder, or a file's folder; stdin gives none. */
export function sourceFolders(paths: readonly string[], cwd: string): string[] {
  return paths
    .filter((p) => p !== '-')
    .map((p) => resolve(cwd, p))
    .map((p) => (isFolder(p) ? p : dirname(p)));
}

/** E_OTHER_SOURCE (exit 1): `apply --prune` would delete what another folder applied. */
export function otherSourceError(project: string, found: OtherSourceDeletion[]): BerthError {
  const folders = [...new Set(found.map((f) => f.folder))].sort();
  const keys = found.map((f) => f.key).join(', ');
  return new BerthError(
    'E_OTHER_SOURCE',
    `refusing to delete ${keys}: applied from ${folders.join(', ')}, another folder of project ${project}; nothing was changed`,
    {
      hint: `give one of the folders its own project (-p NAME), or pass --force to delete them`,
    },
  );
}

/** Lines for `berth plan`: which folder owns the objects the plan would delete. */
export function otherSourceNotes(project: string, found: OtherSourceDeletion[]): string {
  return found
    .map(
      (f) =>
        `note: ${f.key} was applied from ${f.folder} (another folder of project ${project}); apply refuses to delete it without --force\n`,
    )
    .join('');
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
