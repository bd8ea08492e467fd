import type { DesiredObject, Kind } from '../../specs/model.js';
import type { ObjectOfKind } from '../../specs/kinds/index.js';
import type { ObservedState } from '../engine/engine.js';
import { controllerKind, type MatchedObject, type ObservedPicker } from '../kinds/index.js';
import { LABEL } from '../labels.js';
import type { ObjectPlan } from '../plan/plan-types.js';
import { ownedKey } from '../container-names.js';

export type { MatchedObject } from '../kinds/index.js';

/**
 * Finds the engine object the planner matched for `object`: by engine id when the plan has one,
 * else by berth's labels. An unlabelled object with the same name is a conflict, never a match.
 * How each kind is found is its own (controller/kinds/<kind>.ts).
 */
export function matchObserved(
  project: string,
  object: ObjectPlan,
  desired: DesiredObject | undefined,
  observed: ObservedState,
): MatchedObject {
  const owns = (o: { name?: string; labels: Record<string, string> }) =>
    o.labels[LABEL.kind] === object.kind && ownedKey(o, project) === object.key;
  const pick: ObservedPicker = (list, id) =>
    list.find((o) => object.engineId !== undefined && id(o) === object.engineId) ??
    list.find((o) => owns(o));
  return matchOfKind(object.kind, pick, desired, observed);
}

function matchOfKind<K extends Kind>(
  kind: K,
  pick: ObservedPicker,
  desired: DesiredObject | undefined,
  observed: ObservedState,
): MatchedObject {
  // The plan entry's declaration, when it is of the entry's kind.
  const declared = desired?.kind === kind ? (desired as ObjectOfKind<K>) : undefined;
  return controllerKind(kind).matchObserved(pick, declared, observed);
}
