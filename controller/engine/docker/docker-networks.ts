import { EngineError } from '../engine.js';
import type { EndpointRequest, MutationResult, NetworkCreateRequest } from '../engine.js';
import { call, mutate, type DockerCalls } from './docker-calls.js';
import { toEndpointConfig } from './docker-create-body.js';
import { engineMessage, networkInUseMessage, networkUsers } from './docker-errors.js';
import { keepOldestOfName } from './docker-network-dedupe.js';
import { inspectContainer, inspectNetwork } from './docker-observe.js';
import { dropStaleEndpoints } from './docker-stale-endpoints.js';

/** How long `removeNetwork` keeps retrying "has active endpoints" (moby#42119). */
const NETWORK_REMOVE_PATIENCE_MS = 5000;

export async function createNetwork(
  d: DockerCalls,
  request: NetworkCreateRequest,
): Promise<{ id: string }> {
  const ipam = request.ipam && {
    Driver: 'default',
    Config: [request.ipam, ...(request.ipamMore ?? [])].map((c) => ({
      Subnet: c.subnet,
      Gateway: c.gateway,
      ...(c.ipRange !== undefined && { IPRange: c.ipRange }),
      ...(c.auxAddresses !== undefined && { AuxiliaryAddresses: c.auxAddresses }),
    })),
  };
  const network = await call(d, 'create network', request.name, () =>
    d.reads.send<{ Id: string }>('POST', '/networks/create', undefined, {
      Name: request.name,
      // Without it API 1.41 happily creates a second network of the same name.
      CheckDuplicate: true,
      Driver: request.driver,
      Internal: request.internal,
      Attachable: request.attachable,
      Options: request.options,
      Labels: request.labels,
      ...(request.enableIPv6 && { EnableIPv6: true }),
      ...(ipam ? { IPAM: ipam } : {}),
    }),
  );
  // CheckDuplicate is not atomic: concurrent creates can still make two of one name.
  const id = await call(d, 'create network', request.name, () =>
    keepOldestOfName(d.reads, request.name, network.Id, (own) => removeNetwork(d, own)),
  );
  if (await d.podman()) {
    d.networkFeed.noted('create', { Id: id, Name: request.name, Driver: request.driver });
  }
  return { id };
}

/**
 * Retries "has active endpoints" with back-off for a few seconds (moby#42119). On Podman
 * by name: its removal by id skips the in-use check (running members lose the network).
 */
export async function removeNetwork(d: DockerCalls, idOrName: string): Promise<MutationResult> {
  if (!(await d.podman())) return removeNetworkRef(d, idOrName);
  const network = await inspectNetwork(d, idOrName);
  const result = await removeNetworkRef(d, network?.name ?? idOrName);
  if (network && result.changed) {
    d.networkFeed.noted('destroy', {
      Id: network.id,
      Name: network.name,
      Driver: network.driver,
    });
  }
  return result;
}

async function removeNetworkRef(d: DockerCalls, idOrName: string): Promise<MutationResult> {
  const deadline = Date.now() + NETWORK_REMOVE_PATIENCE_MS;
  for (let delay = 50; ; delay = Math.min(delay * 2, 800)) {
    try {
      return await mutate(
        d,
        'remove network',
        idOrName,
        async () => (await d.full()).getNetwork(idOrName).remove(),
        {
          goneIsDone: true,
        },
      );
    } catch (e) {
      // Podman refuses a network in use with "network is being used".
      const busy = /has active endpoints|network is being used/.test(
        engineMessage((e as { detail?: { cause?: unknown } }).detail?.cause),
      );
      if (!busy) throw e;
      // Still in use after the grace period: a real conflict, whatever status the engine used.
      if (Date.now() + delay > deadline) {
        const gone = async (id: string) =>
          (await inspectContainer(d, id).catch(() => 'unknown')) === undefined;
        if (await dropStaleEndpoints(await d.full(), idOrName, gone)) continue;
        throw await networkInUse(d, idOrName, e as EngineError);
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * The conflict of a network that stays in use, naming the containers that use it (also as
 * `detail.usedBy`, whoever owns them: `down` keeps such a network, F462); when none of those
 * it lists exists any more (moby#42119), saying so and what clears it (no `usedBy`).
 */
async function networkInUse(
  d: DockerCalls,
  idOrName: string,
  e: EngineError,
): Promise<EngineError> {
  const inspect = (await (
    await d.full()
  )
    .getNetwork(idOrName)
    .inspect()
    .catch(() => undefined)) as { Name?: string; Containers?: Record<string, unknown> } | undefined;
  const name = inspect?.Name ?? idOrName;
  const listed = Object.keys(inspect?.Containers ?? {});
  // An inspect that fails counts as there: only a container the engine says is gone is stale.
  const gone = new Set<string>();
  for (const id of listed)
    if ((await inspectContainer(d, id).catch(() => 'unknown')) === undefined) gone.add(id);
  const exists = (id: string) => !gone.has(id);
  const usedBy = networkUsers(inspect, exists);
  const detail = e.detail ?? { operation: 'remove network', target: idOrName };
  return new EngineError(
    'E_CONFLICT',
    `remove network ${name}: ${networkInUseMessage(name, inspect, exists)}`,
    usedBy.length ? { ...detail, usedBy } : detail,
  );
}

/** Connects with the endpoint's aliases and static addresses. */
export function connectEndpoint(
  d: DockerCalls,
  container: string,
  endpoint: EndpointRequest,
): Promise<MutationResult> {
  return mutate(
    d,
    'connect network',
    `${endpoint.name}/${container}`,
    async () =>
      (await d.full())
        .getNetwork(endpoint.name)
        .connect({ Container: container, EndpointConfig: toEndpointConfig(endpoint) }),
    // Podman: "is already connected to network".
    { alreadyDone: /already exists in network|is already connected to network/ },
  );
}

export function disconnectNetwork(
  d: DockerCalls,
  network: string,
  container: string,
): Promise<MutationResult> {
  return mutate(
    d,
    'disconnect network',
    `${network}/${container}`,
    async () => (await d.full()).getNetwork(network).disconnect({ Container: container }),
    { alreadyDone: /is not connected to/ },
  );
}
