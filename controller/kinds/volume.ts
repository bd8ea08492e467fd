import type { VolumeObject } from '../../specs/model.js';
import type { ObservedVolume } from '../engine/engine.js';
import type { OwnedIndex, PlanInput } from '../plan/plan-input.js';
import { planVolume } from '../plan/plan-resources.js';
import type { ObjectPlan } from '../plan/plan-types.js';
import { planExternal } from '../plan/plan-unmanaged.js';
import { NO_ENGINE_FACTS, type ResourceKindDescriptor } from './controller-kind.js';

/** Volume: matched by name (a volume's engine id) or labels. */
export const volumeKind: ResourceKindDescriptor<'Volume'> = {
  planDeclared: planVolumeEntry,
  matchObserved: (pick, _desired, observed) => {
    const volume = pick(observed.volumes, (v) => v.name);
    return volume && { kind: 'Volume', volume };
  },
  engineFacts: ({ volume }) => ({
    ...NO_ENGINE_FACTS,
    id: volume.name,
    createdAt: volume.createdAt,
  }),
};

/** An external volume is only checked; an owned one is compared with the one berth labelled. */
function planVolumeEntry(object: VolumeObject, input: PlanInput, owned: OwnedIndex): ObjectPlan {
  if (object.spec.external) return planExternal(object, object.spec.external, input);
  const observed = owned.get(`Volume/${object.name}`) as ObservedVolume | undefined;
  return planVolume(object, input.project, observed);
}
