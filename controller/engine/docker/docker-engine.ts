import type Dockerode from 'dockerode';
import type {
  ContainerCreateRequest,
  ContainerSettingsUpdate,
  ContainerDetails,
  Engine,
  EngineEvent,
  EngineVersion,
  EventSubscription,
  ImageBuildRequest,
  MutationResult,
  NameLookup,
  NetworkCreateRequest,
  ObserveOptions,
  EventOptions,
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
import { detectPodman, podmanComponent } from './docker-flavour.js';
import { podmanLimits } from './docker-podman-limits.js';
import { call, type DockerCalls } from './docker-calls.js';
import * as containers from './docker-containers.js';
import * as networks from './docker-networks.js';
import * as volumes from './docker-volumes.js';
import * as reads from './docker-observe.js';
import * as images from './docker-images.js';
import { podmanFollowWindow, subscribeDockerEvents } from './docker-event-stream.js';
import { createDockerReads, lookupByNames, type DockerReads } from './docker-reads.js';
import { NetworkEventFeed } from './docker-network-events.js';
import { startProjectHealthTimer, type HealthTimer } from './docker-podman-health-timer.js';
import { withPodmanVerdict, type HealthInspect } from './docker-podman-health.js';
import { ListLag } from './docker-list-lag.js';
import { tailDockerLogs } from './docker-log-tail.js';

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

/**
 * The Engine interface over Docker's API. Each call lives with its kind: reads in
 * docker-observe.ts, containers, networks, volumes and images in their own files; what
 * turns engine answers into results and errors in docker-calls.ts.
 */
class DockerEngine implements Engine {
  private dockerode: Promise<Dockerode> | undefined;
  private isPodman: Promise<boolean> | undefined;
  /** Containers whose state events the list may not show yet (docker-list-lag.ts). */
  private readonly listLag = new ListLag();
  private readonly d: DockerCalls;

  /**
   * `reads` serves the read-only calls; dockerode, for everything that changes the engine
   * or streams, is loaded on first use.
   */
  constructor(
    reads: DockerReads,
    private readonly loadDockerode: () => Promise<Dockerode>,
    readonly address: string,
  ) {
    this.d = {
      reads,
      address,
      full: () => this.full(),
      podman: () => (this.isPodman ??= detectPodman(reads)),
      networkFeed: new NetworkEventFeed(() => reads.listNetworks()),
    };
  }

  private full(): Promise<Dockerode> {
    this.dockerode ??= this.loadDockerode();
    return this.dockerode;
  }

  /** Also says what the engine cannot carry (Podman: docker-podman-limits.ts); no extra call. */
  async ping(): Promise<EngineVersion> {
    const v = await call(this.d, 'ping', undefined, () => this.d.reads.version());
    const podman = podmanComponent(v);
    return {
      version: v.Version,
      apiVersion: v.ApiVersion,
      ...(podman ? { limits: podmanLimits(podman.version) } : {}),
    };
  }

  observe(options: ObserveOptions): Promise<ObservedState> {
    return reads.observe(this.d, this.listLag, options);
  }

  lookupNames(names: NameLookup): Promise<Omit<ObservedState, 'images'>> {
    return call(this.d, 'lookupNames', undefined, () => lookupByNames(this.d.reads, names));
  }

  inspectContainer(id: string): Promise<ContainerDetails | undefined> {
    return reads.inspectContainer(this.d, id);
  }

  tailLogs(id: string, lines: number): Promise<string | undefined> {
    return tailDockerLogs(this.d, id, lines);
  }

  inspectNetwork(idOrName: string): Promise<ObservedNetwork | undefined> {
    return reads.inspectNetwork(this.d, idOrName);
  }

  inspectVolume(name: string): Promise<ObservedVolume | undefined> {
    return reads.inspectVolume(this.d, name);
  }

  createContainer(request: ContainerCreateRequest): Promise<{ id: string }> {
    return containers.createContainer(this.d, request);
  }

  startContainer(id: string): Promise<MutationResult> {
    return containers.startContainer(this.d, id);
  }

  stopContainer(id: string, timeoutSec?: number): Promise<MutationResult> {
    return containers.stopContainer(this.d, id, timeoutSec);
  }

  killContainer(id: string, signal = 'SIGKILL'): Promise<MutationResult> {
    return containers.killContainer(this.d, id, signal);
  }

  pauseContainer(id: string): Promise<MutationResult> {
    return containers.pauseContainer(this.d, id);
  }

  unpauseContainer(id: string): Promise<MutationResult> {
    return containers.unpauseContainer(this.d, id);
  }

  removeContainer(id: string): Promise<MutationResult> {
    return containers.removeContainer(this.d, id);
  }

  renameContainer(id: string, name: string): Promise<MutationResult> {
    return containers.renameContainer(this.d, id, name);
  }

  updateContainer(id: string, settings: ContainerSettingsUpdate): Promise<MutationResult> {
    return containers.updateContainer(this.d, id, settings);
  }

  createNetwork(request: NetworkCreateRequest): Promise<{ id: string }> {
    return networks.createNetwork(this.d, request);
  }

  removeNetwork(idOrName: string): Promise<MutationResult> {
    return networks.removeNetwork(this.d, idOrName);
  }

  connectNetwork(network: string, container: string, aliases: string[]): Promise<MutationResult> {
    return networks.connectEndpoint(this.d, container, { name: network, aliases });
  }

  disconnectNetwork(network: string, container: string): Promise<MutationResult> {
    return networks.disconnectNetwork(this.d, network, container);
  }

  createVolume(request: VolumeCreateRequest): Promise<{ name: string }> {
    return volumes.createVolume(this.d, request);
  }

  removeVolume(name: string): Promise<MutationResult> {
    return volumes.removeVolume(this.d, name);
  }

  inspectImage(ref: string): Promise<ObservedImage | undefined> {
    return images.inspectImage(this.d.reads, this.address, ref);
  }

  async pullImage(
    ref: string,
    auth?: RegistryAuth,
    onProgress?: ProgressListener,
  ): Promise<ObservedImage> {
    const [docker, podman] = await Promise.all([this.full(), this.d.podman()]);
    return images.pullImage(docker, this.address, ref, auth, onProgress, podman);
  }

  async buildImage(
    request: ImageBuildRequest,
    onProgress?: ProgressListener,
    signal?: AbortSignal,
  ): Promise<ObservedImage> {
    // Loaded on first build: it brings protobufjs (BuildKit's status messages), ~50 ms of
    // start-up that status, plan and apply without a build never need (issue 18).
    const { buildImage } = await import('./docker-build.js');
    const [docker, podman] = await Promise.all([this.full(), this.d.podman()]);
    return buildImage(docker, this.address, request, { onProgress, podman, signal });
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
    const [docker, podman] = await Promise.all([this.full(), this.d.podman()]);
    return images.pushImage(docker, this.address, ref, auth, onProgress, podman);
  }

  subscribeEvents(options: EventOptions, onEvent: (event: EngineEvent) => void): EventSubscription {
    // The stream needs dockerode; the subscription exists at once and attaches when it loads.
    const subscribedAt = Date.now();
    let inner: EventSubscription | undefined;
    let closed = false;
    const ended = Promise.all([this.full(), this.d.podman()]).then(
      ([docker, podman]) => {
        if (closed) return;
        // A replay (describe's recent events) is history: the list is current for it.
        const follow = options.until === undefined;
        // Podman sends no network events and, without systemd, runs no healthcheck: while
        // following, the adapter makes the one and runs the other (each in its own file).
        let checks: HealthTimer | undefined;
        const podmanExtras =
          podman && follow
            ? (deliver: Parameters<NetworkEventFeed['subscribe']>[0]) => {
                const stopNetworks = this.d.networkFeed.subscribe(deliver);
                checks = startProjectHealthTimer(this.d, options.project);
                return () => (stopNetworks(), checks?.stop());
              }
            : undefined;
        inner = subscribeDockerEvents(
          docker,
          podmanFollowWindow(options, podman, subscribedAt),
          (event) => {
            if (follow) this.listLag.note(event);
            // A started container's first check is due one interval on: not a list later.
            if (event.type === 'container' && event.action === 'start') checks?.started(event.id);
            if (podman && follow && event.action === 'health_status') {
              const inspect = (id: string) =>
                this.d.reads.getContainer(id).inspect() as unknown as Promise<HealthInspect>;
              void withPodmanVerdict(event, inspect).then((e) => e && !closed && onEvent(e));
              return;
            }
            onEvent(event);
          },
          podmanExtras,
          podman,
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
}
