import { LABEL } from '../../labels.js';
import type {
  ContainerDetails,
  ObserveOptions,
  ObservedNetwork,
  ObservedState,
  ObservedVolume,
} from '../engine.js';
import { call, type DockerCalls } from './docker-calls.js';
import {
  healthcheckDue,
  runPodmanHealthcheck,
  withPodmanHealth,
  type HealthInspect,
} from './docker-podman-health.js';
import { statusOf, toEngineError } from './docker-errors.js';
import type { ListLag } from './docker-list-lag.js';
import type { DockerContainerInspect, DockerContainerSummary } from './docker-mapping.js';
import {
  fromContainerSummary,
  fromImage,
  fromInspect,
  fromNetwork,
  fromVolume,
} from './docker-mapping.js';
import { listOwnedAndNamed } from './docker-reads.js';
import { withPodmanRestarts } from './docker-podman-restarts.js';

/**
 * Exactly four list calls in parallel, whatever the number of objects or of `named`
 * externals (see {@link listOwnedAndNamed}), plus one inspect per container a state event
 * was delivered for since the last observe (the list lags: docker-list-lag.ts). On Podman,
 * whose list has no health, one more list and an inspect per running container with a
 * healthcheck (see {@link withPodmanHealth}), and an inspect per container caught between two
 * runs (`stopped`: {@link withPodmanRestarts}).
 */
export async function observe(
  d: DockerCalls,
  listLag: ListLag,
  options: ObserveOptions,
): Promise<ObservedState> {
  const label =
    options.project === undefined ? LABEL.project : `${LABEL.project}=${options.project}`;
  const filters = { label: [label] };
  const listedAt = Date.now();
  // The engine's default network has an id the engine drew at random when it was first
  // started: the mark of `identify`, read from the network list read anyway (unfiltered then).
  const networkNames = options.identify
    ? [...(options.named?.networks ?? []), ...DEFAULT_NETWORKS]
    : options.named?.networks;
  const [containers, networks, volumes, imageList] = await call(d, 'observe', options.project, () =>
    Promise.all([
      d.reads.listContainers({ all: true, filters }),
      listOwnedAndNamed((o) => d.reads.listNetworks(o), label, networkNames),
      listOwnedAndNamed(
        (o) => d.reads.listVolumes(o).then((r) => r.Volumes ?? []),
        label,
        options.named?.volumes,
      ),
      // Images are used by reference whatever their labels: one unfiltered list.
      d.reads.listImages(),
    ]),
  );
  const settled = await listLag.settle(
    (containers as DockerContainerSummary[]).map((c) => fromContainerSummary(c)),
    listedAt,
    (id) => inspectContainer(d, id),
  );
  return {
    // Known from the answers' Server header: Docker pays no call to find out.
    containers: d.reads.answeredByPodman()
      ? await call(d, 'observe', options.project, async () =>
          withPodmanRestarts(
            await withPodmanHealth(d, settled, filters, (id) => inspectContainer(d, id)),
            containers,
            (id) => inspectContainer(d, id),
          ),
        )
      : settled,
    networks: networks.owned.map((n) => fromNetwork(n)),
    volumes: volumes.owned.map((v) => fromVolume(v as Parameters<typeof fromVolume>[0])),
    images: imageList.map((i) => fromImage(i)),
    ...engineMarkOf(networks.named, options),
    ...(options.named && {
      named: {
        networks: networks.named
          .filter((n) => options.named?.networks?.includes(n.Name))
          .map((n) => fromNetwork(n)),
        volumes: volumes.named.map((v) => fromVolume(v as Parameters<typeof fromVolume>[0])),
      },
    }),
  };
}

/** One container's details; undefined when the engine has none by that id or name. */
export async function inspectContainer(
  d: DockerCalls,
  id: string,
): Promise<ContainerDetails | undefined> {
  const read = async () =>
    (await d.reads.getContainer(id).inspect()) as unknown as DockerContainerInspect & HealthInspect;
  try {
    let raw = await read();
    // Podman runs no healthcheck by itself: a due one runs now, and the verdict is read back.
    if (healthcheckDue(raw, Date.now()) && (await d.podman())) {
      if (await runPodmanHealthcheck(d, id)) raw = await read();
    }
    return fromInspect(raw);
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw toEngineError(e, d.address, 'inspect container', id);
  }
}

export function inspectNetwork(
  d: DockerCalls,
  idOrName: string,
): Promise<ObservedNetwork | undefined> {
  return inspectOne(d, 'inspect network', idOrName, async () =>
    fromNetwork(await d.reads.getNetwork(idOrName).inspect()),
  );
}

export function inspectVolume(d: DockerCalls, name: string): Promise<ObservedVolume | undefined> {
  return inspectOne(d, 'inspect volume', name, async () =>
    fromVolume((await d.reads.getVolume(name).inspect()) as Parameters<typeof fromVolume>[0]),
  );
}

/** One read whose 404 means "there is none". */
async function inspectOne<T>(
  d: DockerCalls,
  operation: string,
  target: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw toEngineError(e, d.address, operation, target);
  }
}

/** Docker's default network, and Podman's: every engine has one of them, named so. */
const DEFAULT_NETWORKS = ['bridge', 'podman'];

function engineMarkOf(
  named: readonly { Id: string; Name: string }[],
  options: ObserveOptions,
): Pick<ObservedState, 'engineMark'> {
  if (!options.identify) return {};
  const mark = named.find((n) => DEFAULT_NETWORKS.includes(n.Name))?.Id;
  return mark ? { engineMark: `network:${mark}` } : {};
}
