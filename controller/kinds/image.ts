import { planImage } from '../plan/plan-resources.js';
import { NO_ENGINE_FACTS, type ResourceKindDescriptor } from './controller-kind.js';

/**
 * Image: matched by id or labels, else (a pulled image carries no berth labels) by its
 * declared reference among the engine's tags.
 */
export const imageKind: ResourceKindDescriptor<'Image'> = {
  planDeclared: (object, input) =>
    planImage(object, input.observed.images, input.pinnedImages?.get(object.spec.ref)),
  matchObserved: (pick, desired, observed) => {
    const ref = desired?.spec.ref;
    const image =
      pick(observed.images, (i) => i.id) ??
      observed.images.find((i) => ref !== undefined && i.repoTags.includes(ref));
    return image && { kind: 'Image', image };
  },
  engineFacts: ({ image }) => ({
    ...NO_ENGINE_FACTS,
    id: image.id,
    image: image.repoTags[0] ?? null,
    createdAt: image.createdAt,
    imageId: image.id,
  }),
};
