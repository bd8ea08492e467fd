import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import type { Engine } from '../engine/engine.js';
import { LABEL } from '../labels.js';
import type { WorkItem } from './work-queue.js';
import type { WorkReason } from './work-reason.js';

type Item = WorkItem<ObjectKey, WorkReason>;

/**
 * The items of a batch that are only the exit of a container the engine is restarting itself
 * (its restart policy): `restarting` when inspected, and created from the spec declared now
 * (its spec-hash label). The full path would find the same — no step for berth, the
 * container left to the engine (reconciler.ts `leaveToEngine`) — after observing the whole
 * project (four list calls) and planning it; this costs one inspect per exit (issue 11:
 * under a restart storm berth itself uses < 2 % CPU). What else may have changed meanwhile
 * (an image re-tagged by hand) is the periodic resync's, as for any engine event. An item
 * that does not qualify, or whose inspect fails, takes the full path.
 */
export async function leftToEngine(
  engine: Engine,
  items: readonly Item[],
  desired: readonly DesiredObject[],
): Promise<Set<ObjectKey>> {
  const exits = items.filter(
    (i) => i.reason.kind === 'engine-event' && i.reason.change === 'exited' && i.reason.containerId,
  );
  if (exits.length === 0) return new Set();
  const hashOf = new Map(
    desired.flatMap((o) => (o.kind === 'Container' ? [[`Container/${o.name}`, o.specHash]] : [])),
  );
  const left = await Promise.all(
    exits.map(async (item) => {
      const id = item.reason.kind === 'engine-event' ? item.reason.containerId : undefined;
      const hash = hashOf.get(item.key);
      if (!id || hash === undefined) return undefined;
      const details = await engine.inspectContainer(id).catch(() => undefined);
      const restarting = details?.state === 'restarting' && details.labels[LABEL.specHash] === hash;
      return restarting ? item.key : undefined;
    }),
  );
  return new Set(left.filter((k): k is ObjectKey => k !== undefined));
}
