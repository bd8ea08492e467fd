import type { ObservedState } from '../engine/engine.js';
import { otherSourceDeletions } from '../plan/plan-other-sources.js';
import type { Plan } from '../plan/plan-types.js';

/**
 * The warning `apply` and `plan` print on stderr when the plan leaves owned objects that are
 * no longer declared (F551; Compose's "Found orphan containers … --remove-orphans"): one line
 * naming those `apply --prune` removes, and one per object another folder of the project
 * applied (`apply --prune` refuses to delete those without `--force`). Empty without orphans.
 */
export function orphanWarning(
  plan: Plan,
  observed: ObservedState | undefined,
  folders: readonly string[],
): string {
  const orphans = plan.orphans ?? [];
  if (orphans.length === 0) return '';
  const others = observed
    ? otherSourceDeletions({ ...plan, objects: orphans }, observed, folders)
    : [];
  const elsewhere = new Set(others.map((o) => o.key));
  const here = orphans.map((o) => o.key).filter((k) => !elsewhere.has(k));
  const lines: string[] = [];
  if (here.length > 0) {
    const them = here.length === 1 ? 'it' : 'them';
    lines.push(
      `warning: no longer declared, left on the engine: ${here.join(', ')} (project ${plan.project}); berth apply --prune removes ${them}`,
    );
  }
  for (const o of others)
    lines.push(
      `warning: not declared here, left on the engine: ${o.key}, applied from ${o.folder} (another folder of project ${plan.project}); give one of the folders its own project (-p NAME)`,
    );
  return lines.map((l) => `${l}\n`).join('');
}
