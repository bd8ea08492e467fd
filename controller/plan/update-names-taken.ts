import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import { objectKey } from '../../specs/model.js';
import { temporaryName, temporaryNameTaken } from '../update/temporary-name.js';
import { socketBindsOf, updatePolicy } from '../update/update-policy.js';
import type { ObjectPlan, PlanConflict } from './plan-types.js';

/**
 * The temporary engine names (`-next`, `-prev`: update/temporary-name.ts) of the updates a
 * plan holds, each with its object's key: what observe.ts looks up before it trusts such a
 * plan (F168). Only updates decided now; one that waits for this run's build or pull is
 * checked when it runs (replace.ts). Pure.
 */
export function plannedTemporaryNames(
  objects: readonly ObjectPlan[],
  desired: readonly DesiredObject[],
): Map<string, ObjectKey> {
  const names = new Map<string, ObjectKey>();
  for (const p of objects) {
    const update = updateOf(p, desired);
    if (update) names.set(temporaryName(update.engineName, update.order), p.key);
  }
  return names;
}

/**
 * Every planned update whose temporary name is in `taken` (engine name → who holds it,
 * labels.ts holderOf) blocked: no step and no container entry, out of sync, the reason apply
 * fails it with, and a conflict, as for a declared object's own engine name (DESIGN.md "Identity and
 * ownership": reported, never adopted, renamed or removed). Pure.
 */
export function blockTakenUpdates(
  objects: ObjectPlan[],
  desired: readonly DesiredObject[],
  taken: ReadonlyMap<string, string> | undefined,
): { objects: ObjectPlan[]; conflicts: PlanConflict[] } {
  if (!taken?.size) return { objects, conflicts: [] };
  const conflicts: PlanConflict[] = [];
  const blocked = objects.map((p) => {
    const update = updateOf(p, desired);
    const name = update && temporaryName(update.engineName, update.order);
    const holder = name === undefined ? undefined : taken.get(name);
    if (!update || name === undefined || holder === undefined) return p;
    const message = temporaryNameTaken(update.engineName, update.order, holder);
    conflicts.push({ key: p.key, engineName: name, message });
    // Without its container entry the executor runs nothing for it and fails it with the
    // reason (run-object.ts): it would otherwise run the update the entry decided.
    const { container: _decided, ...blocked } = p;
    return { ...blocked, steps: [], inSync: false, reason: message };
  });
  return { objects: blocked, conflicts };
}

/** The order and engine name of the update `p` plans, if it plans one. */
function updateOf(
  p: ObjectPlan,
  desired: readonly DesiredObject[],
): { order: 'start-first' | 'stop-first'; engineName: string } | undefined {
  const entry = p.container;
  if (!entry?.update || !entry.replaceCause) return undefined;
  const container = desired.find((o) => o.kind === 'Container' && objectKey(o) === p.key);
  if (container?.kind !== 'Container') return undefined;
  const order = updatePolicy(container.spec, socketBindsOf(desired)).order;
  return { order, engineName: entry.request.name };
}
