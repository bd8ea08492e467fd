import { statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ObjectKey } from '../../specs/model.js';
import type { ObservedState } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import { LABEL } from '../labels.js';
import { indexOwned } from '../plan/plan.js';
import type { Plan } from '../plan/plan-types.js';

/** An object a plan would delete that another folder applied (its `berth.source`). */
export interface OtherSourceDeletion {
  key: ObjectKey;
  /** The folder that applied it, absolute. */
  folder: string;
}

/** The folders an apply reads from: each `-f` folder, or a file's folder; stdin gives none. */
export function sourceFolders(paths: readonly string[], cwd: string): string[] {
  return paths
    .filter((p) => p !== '-')
    .map((p) => resolve(cwd, p))
    .map((p) => (isFolder(p) ? p : dirname(p)));
}

/**
 * Deletions in `plan` of objects whose `berth.source` lies outside every folder this apply
 * reads (issue 19 item 10: `one/shop` and `two/shop` both default to project `shop`).
 * Objects without the label (made before it existed) are not counted.
 */
export function otherSourceDeletions(
  plan: Plan,
  observed: ObservedState,
  folders: readonly string[],
): OtherSourceDeletion[] {
  const owned = indexOwned(observed, plan.project);
  const out: OtherSourceDeletion[] = [];
  for (const p of plan.objects) {
    if (p.desired !== 'absent' || p.steps.length === 0) continue;
    const found =
      owned.get(p.key) ??
      observed.images.find((i) => p.engineId !== undefined && i.id === p.engineId);
    const folder = found?.labels[LABEL.source];
    if (folder && !folders.some((f) => inside(folder, f))) out.push({ key: p.key, folder });
  }
  return out;
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

function inside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
