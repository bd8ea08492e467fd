import type { NetworkObject } from '../../specs/model.js';
import { ownedContainerName } from '../container-names.js';
import { resourceEngineName } from '../labels.js';
import { networksNamed, withDuplicatesRemoved } from '../plan/plan-duplicates.js';
import type { PlanInput } from '../plan/plan-input.js';
import { planNetwork } from '../plan/plan-resources.js';
import type { ObjectPlan } from '../plan/plan-types.js';
import { planExternal } from '../plan/plan-unmanaged.js';
import { NO_ENGINE_FACTS, type ResourceKindDescriptor } from './controller-kind.js';

/** Network: planned with its attached containers and duplicates; matched by engine id or labels. */
export const networkKind: ResourceKindDescriptor<'Network'> = {
  planDeclared: planNetworkEntry,
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

/**
 * An external network is only checked; an owned one is planned with the containers attached to
 * it, and other networks of its name (issue 19 item 7) are removed.
 */
function planNetworkEntry(object: NetworkObject, input: PlanInput): ObjectPlan {
  if (object.spec.external) return planExternal(object, object.spec.external, input);
  const { containers, networks } = input.observed;
  const [net, ...extras] = networksNamed(networks, containers, input.project, object.name);
  // The name the containers are attached under now: the network's engine name may change.
  const name = net?.name ?? resourceEngineName(input.project, object);
  // Each by the declared name it answers to (replica 2 of `web` is `web-2`): the steps name it.
  const attached = containers.flatMap((c) => {
    const declared = c.networks.includes(name) ? ownedContainerName(c, input.project) : undefined;
    return declared === undefined ? [] : [{ name: declared, container: c }];
  });
  const p = planNetwork(object, input.project, net, attached);
  return withDuplicatesRemoved(p, extras, containers);
}
