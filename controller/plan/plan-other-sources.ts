import { isAbsolute, relative } from 'node:path';
import type { ObjectKey } from '../../specs/model.js';
import type { ObservedState } from '../engine/engine.js';
import { LABEL } from '../labels.js';
import { indexOwned } from './plan.js';
import type { Plan } from './plan-types.js';

/** An object a plan would delete that another folder applied (its `berth.source`). */
export interface OtherSourceDeletion {
  key: ObjectKey;
  /** The folder that applied it, absolute. */
  folder: string;
}

/**
 * Deletions in `plan` of objects whose `berth.source` lies outside every folder in
 * `folders` (issue 19 item 10: `one/shop` and `two/shop` both default to project `shop`).
 * Objects without the label (made before it existed, or read from stdin) are not counted.
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

/**
 * `plan` with the deletions in `found` taken out: each such object keeps its place, with
 * no step, out of sync, and a reason naming the folder that applied it. Pure. `berth
 * watch` (which always prunes) runs this unless `--force`.
 */
export function spareOtherSources(
  plan: Plan,
  found: readonly OtherSourceDeletion[],
  project: string,
): Plan {
  if (found.length === 0) return plan;
  const spared = new Map(found.map((f) => [f.key, f.folder] as const));
  return {
    ...plan,
    objects: plan.objects.map((p) => {
      const folder = spared.get(p.key);
      if (folder === undefined) return p;
      return { ...p, steps: [], inSync: false, reason: otherSourceReason(folder, project) };
    }),
  };
}

/** Why an object that is not declared here is not deleted. */
export function otherSourceReason(folder: string, project: string): string {
  return `applied from ${folder}, another folder of project ${project}; not pruned without --force`;
}

function inside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
