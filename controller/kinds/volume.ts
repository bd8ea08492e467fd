import { NO_ENGINE_FACTS, type ControllerKind } from './controller-kind.js';

/** Volume: matched by name (a volume's engine id) or labels. */
export const volumeKind: ControllerKind<'Volume'> = {
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
