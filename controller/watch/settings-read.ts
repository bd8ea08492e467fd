import type { ObjectKey } from '../../specs/model.js';
import type { Engine, ObservedState } from '../engine/engine.js';
import type { WorkItem } from './work-queue.js';
import type { WorkReason } from './work-reason.js';

/**
 * The engine ids of the containers whose settings a batch must read: those the engine said
 * were changed in place (`update` event: `docker update` of a restart policy or a limit). The
 * list observe makes carries no settings, and the spec hash (a label) cannot see them (F272).
 */
export function settingsToRead(items: readonly WorkItem<ObjectKey, WorkReason>[]): string[] {
  const ids = items.flatMap(({ reason }) =>
    reason.kind === 'engine-event' && reason.change === 'updated' && reason.containerId
      ? [reason.containerId]
      : [],
  );
  return [...new Set(ids)];
}

/**
 * The observation with the settings of containers `ids` read onto them, one inspect each, so
 * the plan compares them with the declaration (plan/settings-drift.ts) and the observation
 * stays the plan's only input. A container gone meanwhile, or whose inspect fails, is left
 * as the list gave it (the event that removed it queues it again).
 */
export async function withSettings(
  engine: Engine,
  observed: ObservedState,
  ids: readonly string[],
): Promise<ObservedState> {
  const wanted = observed.containers.filter((c) => ids.includes(c.id));
  if (wanted.length === 0) return observed;
  const read = await Promise.all(
    wanted.map((c) => engine.inspectContainer(c.id).catch(() => undefined)),
  );
  const settings = new Map(read.flatMap((d) => (d?.settings ? [[d.id, d.settings]] : [])));
  if (settings.size === 0) return observed;
  return {
    ...observed,
    containers: observed.containers.map((c) => {
      const s = settings.get(c.id);
      return s ? { ...c, settings: s } : c;
    }),
  };
}
