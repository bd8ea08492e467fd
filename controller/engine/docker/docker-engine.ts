import type Dockerode from 'dockerode';
import { LABEL } from '../../labels.js';
import { EngineError } from '../engine.js';
import type {
  ContainerCreateRequest,
  EndpointRequest,
  ContainerDetails,
  Engine,
  EngineEvent,
  EventSubscription,
  ImageBuildRequest,
  MutationResult,
  NameLookup,
  NetworkCreateRequest,
  ObserveOptions,
  ObservedImage,
  ObservedNetwork,
  ObservedState,
  ObservedVolume,
  ProgressListener,
  RegistryAuth,
  VolumeCreateRequest,
} from '../engine.js';
import type { EngineAddress } from './engine-address.js';
import { dockerOptions } from './docker-connect.js';
import { ownedOnly } from '../owned-engine.js';
import { detectPodman } from './docker-flavour.js';
import { dropStaleEndpoints } from './docker-stale-endpoints.js';
import { engineMessage, networkInUseMessage, statusOf, toEngineError } from './docker-errors.js';
import type { DockerContainerInspect, DockerContainerSummary } from './docker-mapping.js';
import {
  fromContainerSummary,
  fromImage,
  fromInspect,
  fromNetwork,
  fromVolume,
  toCreateBody,
} from './docker-mapping.js';
import { toEndpointConfig } from './docker-create-body.js';
import { buildImage } from './docker-build.js';
import * as images from './docker-images.js';
import { subscribeDockerEvents } from './docker-event-stream.js';
import {
  createDockerReads,
  listOwnedAndNamed,
  lookupByNames,
  type DockerReads,
} from './docker-reads.js';
import { keepOldestOfName } from './docker-network-dedupe.js';
import { nameHolder } from './docker-name-conflict.js';
import { NetworkEventFeed } from './docker-network-events.js';
import { ListLag } from './docker-list-lag.js';

/**
 * The Docker Engine API adapter. dockerode is imported here, lazily, so CLI commands that
 * never talk to the engine do not load it (the bundle keeps it external).
 */
export async function createDockerEngine(address: EngineAddress): Promise<Engine> {
  const loadDockerode = async () => {
    const { default: Docker } = await import('dockerode');
    return new Docker(dockerOptions(address));
  };
  // Every engine berth drives is behind the ownership guard (issue 19 item 11).
  return ownedOnly(new DockerEngine(createDockerReads(address), loadDockerode, address.display));
}

/** How a mutation's "already so" answers read: which statuses/messages mean `changed: false`. */
interface Idempotence {
  /** 404 means the goal is met (removed, stopped). */
  goneIsDone?: boolean;
  /** A 409/403 whose message matches means the goal is met ("is already paused"). */
  alreadyDone?: RegExp;
}

/** How long `removeNetwork` keeps retrying "has active endpoints" (moby#42119). */
const NETWORK_REMOVE_PATIENCE_MS = 5000;

export class DockerEngine implements Engine {
  private dockerode: Promise<Dockerode> | undefined;
  private podman: Promise<boolean> | undefined;
  /** Containers whose state events the list may not show yet (docker-list-lag.ts). */
  private readonly listLag = new ListLag();
  /** Podman sends no network create/remove events: the adapter makes them. */
  private readonly networkFeed = new NetworkEventFeed(() => this.reads.listNetworks());

  /**
   * `reads` serves the read-only calls; dockerode, for everything that changes the engine
   * or streams, is loaded on first use.
   */
  constructor(
    private readonly reads: DockerReads,
    private readonly loadDockerode: () => Promise<Dockerode>,
    readonly address: string,
  ) {}

  private full(): Promise<Dockerode> {
    this.dockerode ??= this.loadDockerode();
    return this.dockerode;
  }

  /** Whether the engine is Podman, read once (docker-flavour.ts). */
  private isPodman(): Promise<boolean> {
    this.podman ??= detectPodman(this.reads);
    return this.podman;
  }

  async ping(): Promise<{ version: string; apiVersion: string }> {
    const v = await this.call('ping', undefined, () => this.reads.version());
    return { version: v.Version, apiVersion: v.ApiVersion };
  }

  /**
   * Exactly four list calls in parallel, whatever the number of objects or of `named`
   * externals (see {@link listOwnedAndNamed}), plus one inspect
   * per container a state event was delivered for since the last observe (the list lags).
   */
  async observe(options: ObserveOptions): Promise<ObservedState> {
    const label =
      options.project === undefined ? LABEL.project : `${LABEL.project}=${options.project}`;
    const filters = { label: [label] };
    const listedAt = Date.now();
    const [containers, networks, volumes, imageList] = await this.call(
      'observe',
      options.project,
      () =>
        Promise.all([
          this.reads.listContainers({ all: true, filters }),
          listOwnedAndNamed((o) => this.reads.listNetworks(o), label, options.named?.networks),
          listOwnedAndNamed(
            (o) => this.reads.listVolumes(o).then((r) => r.Volumes ?? []),
            label,
            options.named?.volumes,
          ),
          // Images are used by reference whatever their labels: one unfiltered list.
          this.reads.listImages(),
        ]),
    );
    return {
      containers: await this.listLag.settle(
        (containers as DockerContainerSummary[]).map((c) => fromContainerSummary(c)),
        listedAt,
        (id) => this.inspectContainer(id),
      ),
      networks: networks.owned.map((n) => fromNetwork(n)),
      volumes: volumes.owned.map((v) => fromVolume(v as Parameters<typeof fromVolume>[0])),
      images: imageList.map((i) => fromImage(i)),
      ...(options.named && {
        named: {
          networks: networks.named.map((n) => fromNetwork(n)),
          volumes: volumes.named.map((v) => fromVolume(v as Parameters<typeof fromVolume>[0])),
        },
      }),
    };
  }

  lookupNames(names: NameLookup): Promise<Omit<ObservedState, 'images'>> {
    return this.call('lookupNames', undefined, () => lookupByNames(this.reads, names));
  }

  async inspectContainer(id: string): Promise<ContainerDetails | undefined> {
    try {
      return fromInspect(
        (await this.reads.getContainer(id).inspect()) as unknown as DockerContainerInspect,
      );
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw toEngineError(e, this.address, 'inspect container', id);
    }
  }

  inspectNetwork(idOrName: string): Promise<ObservedNetwork | undefined> {
    return this.inspectOne('inspect network', idOrName, async () =>
      fromNetwork(await this.reads.getNetwork(idOrName).inspect()),
    );
  }

  inspectVolume(name: string): Promise<ObservedVolume | undefined> {
    return this.inspectOne('inspect volume', name, async () =>
      fromVolume((await this.reads.getVolume(name).inspect()) as Parameters<typeof fromVolume>[0]),
    );
  }

  /** One read whose 404 means "there is none". */
  private async inspectOne<T>(
    operation: string,
    target: string,
    run: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await run();
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw toEngineError(e, this.address, operation, target);
    }
  }

  /** Creates the container on its first network, then connects the others before returning. */
  async createContainer(request: ContainerCreateRequest): Promise<{ id: string }> {
    // dockerode sends top-level members as the query string too: name and platform go there.
    const body = { name: request.name, platform: request.platform, ...toCreateBody(request) };
    const container = await this.call('create container', request.name, async () =>
      (await this.full()).createContainer(body as Dockerode.ContainerCreateOptions),
    ).catch(async (e: EngineError) => {
      if (e.code !== 'E_CONFLICT') throw e;
      const holder = await nameHolder((name) => this.inspectContainer(name), request.name);
      throw new EngineError(e.code, e.message, { ...e.detail!, ...(holder ? { holder } : {}) });
    });
    for (const extra of request.networks.slice(1)) {
      await this.connectEndpoint(container.id, extra);
    }
    return { id: container.id };
  }

  startContainer(id: string): Promise<MutationResult> {
    return this.mutate('start', id, async () => (await this.full()).getContainer(id).start(), {});
  }

  /** Podman cannot stop a paused container ("refusing to clean up"): it is unpaused first. */
  async stopContainer(id: string, timeoutSec?: number): Promise<MutationResult> {
    // Without `t` the engine waits the container's own StopTimeout (its stopGracePeriod).
    const options = timeoutSec === undefined ? {} : { t: timeoutSec };
    const stop = () =>
      this.mutate('stop', id, async () => (await this.full()).getContainer(id).stop(options), {
        goneIsDone: true,
      });
    try {
      return await stop();
    } catch (e) {
      if (!(e instanceof EngineError) || !/refusing to clean up/.test(e.message)) throw e;
      await this.unpauseContainer(id);
      await stop();
      return { changed: true };
    }
  }

  killContainer(id: string, signal = 'SIGKILL'): Promise<MutationResult> {
    return this.mutate(
      'kill',
      id,
      async () => (await this.full()).getContainer(id).kill({ signal }),
      {
        goneIsDone: true,
        // Podman: "can only kill running containers".
        alreadyDone: /is not running|can only kill running/,
      },
    );
  }

  pauseContainer(id: string): Promise<MutationResult> {
    return this.mutate('pause', id, async () => (await this.full()).getContainer(id).pause(), {
      alreadyDone: /is already paused/,
    });
  }

  unpauseContainer(id: string): Promise<MutationResult> {
    return this.mutate('unpause', id, async () => (await this.full()).getContainer(id).unpause(), {
      alreadyDone: /is not paused/,
    });
  }

  /** Force-removes; anonymous volumes stay (`v: false`) and named volumes are never touched. */
  removeContainer(id: string): Promise<MutationResult> {
    return this.mutate(
      'remove',
      id,
      async () => (await this.full()).getContainer(id).remove({ force: true, v: false }),
      {
        goneIsDone: true,
        alreadyDone: /removal of container .* is already in progress/,
      },
    );
  }

  renameContainer(id: string, name: string): Promise<MutationResult> {
    return this.mutate(
      'rename',
      id,
      async () => (await this.full()).getContainer(id).rename({ name }),
      {
        alreadyDone: /same name as its current name/,
      },
    );
  }

  async createNetwork(request: NetworkCreateRequest): Promise<{ id: string }> {
    const ipam = request.ipam && {
      Driver: 'default',
      Config: [{ Subnet: request.ipam.subnet, Gateway: request.ipam.gateway }],
    };
    const network = await this.call('create network', request.name, async () =>
      (await this.full()).createNetwork({
        Name: request.name,
        // Without it API 1.41 happily creates a second network of the same name.
        CheckDuplicate: true,
        Driver: request.driver,
        Internal: request.internal,
        Attachable: request.attachable,
        Options: request.options,
        Labels: request.labels,
        ...(ipam ? { IPAM: ipam } : {}),
      } as Dockerode.NetworkCreateOptions),
    );
    // CheckDuplicate is not atomic: concurrent creates can still make two of one name.
    const id = await this.call('create network', request.name, () =>
      keepOldestOfName(this.reads, request.name, network.id as string, (own) =>
        this.removeNetwork(own),
      ),
    );
    if (await this.isPodman()) {
      this.networkFeed.noted('create', { Id: id, Name: request.name, Driver: request.driver });
    }
    return { id };
  }

  /**
   * Retries "has active endpoints" with back-off for a few seconds (moby#42119). On Podman
   * by name: its removal by id skips the in-use check (running members lose the network).
   */
  async removeNetwork(idOrName: string): Promise<MutationResult> {
    if (!(await this.isPodman())) return this.removeNetworkRef(idOrName);
    const network = await this.inspectNetwork(idOrName);
    const result = await this.removeNetworkRef(network?.name ?? idOrName);
    if (network && result.changed) {
      this.networkFeed.noted('destroy', {
        Id: network.id,
        Name: network.name,
        Driver: network.driver,
      });
    }
    return result;
  }

  private async removeNetworkRef(idOrName: string): Promise<MutationResult> {
    const deadline = Date.now() + NETWORK_REMOVE_PATIENCE_MS;
    for (let delay = 50; ; delay = Math.min(delay * 2, 800)) {
      try {
        return await this.mutate(
          'remove network',
          idOrName,
          async () => (await this.full()).getNetwork(idOrName).remove(),
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
            (await this.inspectContainer(id).catch(() => 'unknown')) === undefined;
          if (await dropStaleEndpoints(await this.full(), idOrName, gone)) continue;
          throw await this.networkInUse(idOrName, e as EngineError);
        }
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** The conflict of a network that stays in use, naming the containers that use it. */
  private async networkInUse(idOrName: string, e: EngineError): Promise<EngineError> {
    const inspect = await (
      await this.full()
    )
      .getNetwork(idOrName)
      .inspect()
      .catch(() => undefined);
    const name = (inspect as { Name?: string } | undefined)?.Name ?? idOrName;
    return new EngineError(
      'E_CONFLICT',
      `remove network ${name}: ${networkInUseMessage(name, inspect)}`,
      e.detail,
    );
  }

  connectNetwork(network: string, container: string, aliases: string[]): Promise<MutationResult> {
    return this.connectEndpoint(container, { name: network, aliases });
  }

  /** Connects with the endpoint's aliases and static addresses. */
  private connectEndpoint(container: string, endpoint: EndpointRequest): Promise<MutationResult> {
    return this.mutate(
      'connect network',
      `${endpoint.name}/${container}`,
      async () =>
        (await this.full())
          .getNetwork(endpoint.name)
          .connect({ Container: container, EndpointConfig: toEndpointConfig(endpoint) }),
      // Podman: "is already connected to network".
      { alreadyDone: /already exists in network|is already connected to network/ },
    );
  }

  disconnectNetwork(network: string, container: string): Promise<MutationResult> {
    return this.mutate(
      'disconnect network',
      `${network}/${container}`,
      async () => (await this.full()).getNetwork(network).disconnect({ Container: container }),
      { alreadyDone: /is not connected to/ },
    );
  }

  async createVolume(request: VolumeCreateRequest): Promise<{ name: string }> {
    const volume = await this.call('create volume', request.name, async () =>
      (await this.full()).createVolume({
        Name: request.name,
        Driver: request.driver,
        DriverOpts: request.options,
        Labels: request.labels,
      }),
    );
    return { name: (volume as unknown as { name?: string; Name?: string }).name ?? request.name };
  }

  removeVolume(name: string): Promise<MutationResult> {
    return this.mutate(
      'remove volume',
      name,
      async () => (await this.full()).getVolume(name).remove(),
      {
        goneIsDone: true,
      },
    );
  }

  inspectImage(ref: string): Promise<ObservedImage | undefined> {
    return images.inspectImage(this.reads, this.address, ref);
  }

  async pullImage(
    ref: string,
    auth?: RegistryAuth,
    onProgress?: ProgressListener,
  ): Promise<ObservedImage> {
    return images.pullImage(await this.full(), this.address, ref, auth, onProgress);
  }

  async buildImage(
    request: ImageBuildRequest,
    onProgress?: ProgressListener,
  ): Promise<ObservedImage> {
    return buildImage(await this.full(), this.address, request, onProgress);
  }

  async removeImage(ref: string): Promise<MutationResult> {
    return images.removeImage(await this.full(), this.address, ref);
  }

  async tagImage(source: string, ref: string): Promise<MutationResult> {
    return images.tagImage(await this.full(), this.address, source, ref);
  }

  async pushImage(
    ref: string,
    auth?: RegistryAuth,
    onProgress?: ProgressListener,
  ): Promise<{ digest?: string }> {
    return images.pushImage(await this.full(), this.address, ref, auth, onProgress);
  }

  subscribeEvents(
    options: ObserveOptions & { since?: number; until?: number },
    onEvent: (event: EngineEvent) => void,
  ): EventSubscription {
    // The stream needs dockerode; the subscription exists at once and attaches when it loads.
    let inner: EventSubscription | undefined;
    let closed = false;
    const ended = Promise.all([this.full(), this.isPodman()]).then(
      ([docker, podman]) => {
        if (closed) return;
        // A replay (describe's recent events) is history: the list is current for it.
        const follow = options.until === undefined;
        const networkEvents =
          podman && follow
            ? (deliver: Parameters<NetworkEventFeed['subscribe']>[0]) =>
                this.networkFeed.subscribe(deliver)
            : undefined;
        inner = subscribeDockerEvents(
          docker,
          options,
          (event) => {
            if (follow) this.listLag.note(event);
            onEvent(event);
          },
          networkEvents,
        );
        return inner.ended;
      },
      () => undefined,
    );
    return {
      ended,
      close: () => {
        closed = true;
        inner?.close();
      },
    };
  }

  /** Runs one engine call, turning any failure into an EngineError. */
  private async call<T>(
    operation: string,
    target: string | undefined,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw toEngineError(e, this.address, operation, target);
    }
  }

  /** Runs a mutation; 304 and the "already so" answers of `idempotence` are `changed: false`. */
  private async mutate(
    operation: string,
    target: string,
    run: () => Promise<unknown>,
    idempotence: Idempotence,
  ): Promise<MutationResult> {
    try {
      await run();
      return { changed: true };
    } catch (e) {
      const status = statusOf(e);
      if (status === 304) return { changed: false };
      if (status === 404 && idempotence.goneIsDone) return { changed: false };
      if (
        status !== undefined &&
        status >= 400 &&
        idempotence.alreadyDone?.test(engineMessage(e))
      ) {
        return { changed: false };
      }
      throw toEngineError(e, this.address, operation, target);
    }
  }
}
