import type { DesiredObject } from '../../specs/model.js';
import type {
  ObservedContainer,
  ObservedImage,
  ObservedNetwork,
  ObservedState,
  ObservedVolume,
} from '../engine/engine.js';
import { LABEL } from '../labels.js';
import type { ObjectPlan } from '../plan/plan-types.js';

/** The engine object behind one plan entry, by kind. */
export type MatchedObject =
  | { kind: 'Container'; container: ObservedContainer }
  | { kind: 'Network'; network: ObservedNetwork }
  | { kind: 'Volume'; volume: ObservedVolume }
  | { kind: 'Image'; image: ObservedImage }
  | undefined;

/**
 * Finds the engine object the planner matched for `object`: by engine id when the plan has one,
 * else by berth's labels. An unlabelled object with the same name is a conflict, never a match.
 */
export function matchObserved(
  project: string,
  object: ObjectPlan,
  desired: DesiredObject | undefined,
  observed: ObservedState,
): MatchedObject {
  const owns = (labels: Record<string, string>, kind: string) =>
    labels[LABEL.project] === project &&
    labels[LABEL.kind] === kind &&
    labels[LABEL.name] === object.name;
  const pick = <T extends { labels: Record<string, string> }>(list: T[], id: (t: T) => string) =>
    list.find((o) => object.engineId !== undefined && id(o) === object.engineId) ??
    list.find((o) => owns(o.labels, object.kind));
  switch (object.kind) {
    case 'Container': {
      const container = pick(observed.containers, (c) => c.id);
      return container && { kind: 'Container', container };
    }
    case 'Network': {
      const network = pick(observed.networks, (n) => n.id);
      return network && { kind: 'Network', network };
    }
    case 'Volume': {
      const volume = pick(observed.volumes, (v) => v.name);
      return volume && { kind: 'Volume', volume };
    }
    case 'Image': {
      const ref = desired?.kind === 'Image' ? desired.spec.ref : undefined;
      const image =
        pick(observed.images, (i) => i.id) ??
        observed.images.find((i) => ref !== undefined && i.repoTags.includes(ref));
      return image && { kind: 'Image', image };
    }
    default:
      // Bind mounts are host paths: nothing on the engine to match.
      return undefined;
  }
}
