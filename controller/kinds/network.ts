import { NO_ENGINE_FACTS, type ControllerKind } from './controller-kind.js';

/** Network: matched by engine id or labels. */
export const networkKind: ControllerKind<'Network'> = {
  matchObserved: (pick, _desired, observed) => {
    const network = pick(observed.networks, (n) => n.id);
    return network && { kind: 'Network', network };
  },
  engineFacts: ({ network }) => ({
    ...NO_ENGINE_FACTS,
    id: network.id,
    createdAt: network.createdAt,
  }),
};
