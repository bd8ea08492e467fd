import type { ObjectKey } from '../../specs/model.js';
import type { Engine, ObservedState } from '../engine/engine.js';
import type { WorkItem } from './work-queue.js';
import type { ResyncTrigger, WorkReason } from './work-reason.js';
import { containerIdsOf } from '../records/restarts.js';
import { LABEL } from '../labels.js';

/**
 * Resyncs after which events may have been missed: the watch's start (nothing watched the
 * engine before it) and a reconnect of the event stream. They read every container's settings
 * once; the periodic resync does not (its events were seen).
 */
export function readsSettings(trigger: ResyncTrigger): boolean {
  return trigger === 'start' || trigger === 'engine-reconnected';
}

/**
 * The engine ids of the containers whose settings a batch must read: those the engine said
 * were changed in place (`update` event: `docker update` of a restart policy or a limit), and
 * those a start or reconnect resync queued (it read them: {@link readsSettings}). The list
 * observe makes carries no settings, and the spec hash (a label) cannot see them (F272).
 */
export function settingsToRead(
  items: readonly WorkItem<ObjectKey, WorkReason>[],
  project: string,
  observed: ObservedState,
): string[] {
  const ids = items.flatMap(({ key, reason }) => {
    if (reason.kind === 'engine-event' && reason.change === 'updated')
      return reason.containerId ? [reason.containerId] : [];
    if (reason.kind === 'resync' && readsSettings(reason.trigger))
      return containerIdsOf(project, observed, key);
    return [];
  });
  return [...new Set(ids)];
}

/** Every container of the project in `observed`: what a start or reconnect resync reads. */
export function projectContainerIds(project: string, observed: ObservedState): string[] {
  return observed.containers.filter((c) => c.labels[LABEL.project] === project).map((c) => c.id);
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
