import type { ObjectKey } from '../../specs/model.js';
import type { ObservedState } from '../engine/engine.js';
import { LABEL, engineName } from '../labels.js';
import type { ObjectPlan } from '../plan/plan-types.js';
import { ownedContainerName } from '../container-names.js';

/** A network a delete leaves in place, and the containers that still use it. */
export interface SharedNetwork {
  key: ObjectKey;
  /** Engine names of the project's containers on it that this delete does not remove. */
  users: string[];
}

/**
 * Splits the networks a delete would remove from those still used by a container of the
 * project that the same delete keeps (another folder's container of the project, most often
 * on `<project>-default`). Those are left in place, as Compose's `down` leaves a network
 * "still in use", instead of failing the delete on the engine's "in use" answer; the next
 * delete that takes their last user removes them. Pure: reads the observation only.
 */
export function keepSharedNetworks(
  objects: ObjectPlan[],
  observed: ObservedState,
  project: string,
): { objects: ObjectPlan[]; kept: SharedNetwork[] } {
  const removed = new Set(objects.filter((p) => p.kind === 'Container').map((p) => p.key));
  const staying = observed.containers.filter(
    (c) =>
      c.labels[LABEL.project] === project &&
      !removed.has(`Container/${ownedContainerName(c, project) ?? ''}` as ObjectKey),
  );
  const kept: SharedNetwork[] = [];
  const rest = objects.filter((p) => {
    if (p.kind !== 'Network') return true;
    const name = p.engineName ?? engineName(project, p.name);
    const users = staying.filter((c) => c.networks.includes(name));
    if (users.length === 0) return true;
    kept.push({ key: p.key, users: users.map((c) => c.name).sort() });
    return false;
  });
  const keptKeys = new Set(kept.map((k) => k.key));
  return {
    objects: rest.map((p) => ({ ...p, after: p.after.filter((k) => !keptKeys.has(k)) })),
    kept,
  };
}
