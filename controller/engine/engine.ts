/**
 * The one small interface between berth and a container engine.
 *
 * Contract for every implementation (Docker adapter, in-memory engine):
 * - Mutations are idempotent where the engine allows: starting a running container,
 *   stopping a stopped one, removing a missing one resolve normally with
 *   `changed: false` instead of failing.
 * - Failures reject with an {@link EngineError} carrying a stable code; nothing above
 *   this interface inspects engine status codes or messages.
 * - `observe` costs a constant number of engine calls, whatever the number of objects.
 *
 * What berth asks the engine to create is in engine-requests.ts, its events in
 * engine-events.ts; both are re-exported here, so users import from this file alone.
 */

import type { EngineLimits } from '../../specs/engine-fields.js';
import type {
  ContainerCreateRequest,
  ImageBuildRequest,
  Labels,
  NetworkCreateRequest,
  RegistryAuth,
  VolumeCreateRequest,
} from './engine-requests.js';
import type { EngineEvent, EventSubscription, ResourceNames } from './engine-events.js';

export type { ContainerRuntimeOptions, EndpointRequest } from './container-options.js';
export type {
  ContainerCreateRequest,
  ImageBuildRequest,
  Labels,
  MountRequest,
  NetworkCreateRequest,
  PortRequest,
  RegistryAuth,
  VolumeCreateRequest,
} from './engine-requests.js';
export type {
  EngineChange,
  EngineEvent,
  EventSubscription,
  ResourceNames,
} from './engine-events.js';

export type EngineContainerState =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy' | 'none';

export interface ObservedContainer {
  id: string;
  /** Engine name without the leading slash. */
  name: string;
  labels: Labels;
  state: EngineContainerState;
  /** Image id (`sha256:…`) the container was created from. */
  imageId: string;
  /** The reference it was created with, as the engine reports it. */
  imageRef: string;
  /** Unix ms. */
  createdAt: number;
  /** Parsed from the list's status text where the engine gives it there. */
  exitCode?: number;
  /**
   * The engine's RestartCount. Inspect only: set on an exited container whose declaration
   * limits its restarts (`restartMaxRetries`, observe.ts), else absent.
   */
  restartCount?: number;
  /**
   * The kernel's OOM killer ended its last run (Docker's State.OOMKilled). Inspect only: set
   * on a listed container where status merged its inspect in (project-view.ts), else absent.
   */
  oomKilled?: boolean;
  /**
   * Unix ms the current (or last) run started. A list answer gives it only while the
   * container is up, exact to the second for a run under a minute and coarser after (the
   * engine words it "3 minutes", "About an hour"); inspect gives it exactly.
   */
  startedAt?: number;
  /** Unix ms the last run ended; a list answer gives it only while the container is stopped. */
  finishedAt?: number;
  health: HealthStatus;
  /** Names of the engine networks the container is attached to. */
  networks: string[];
  /**
   * Network name → id of the network the endpoint was made on. The engine keeps it when
   * the network is removed behind a stopped container's back (issue 19 item 3): an id no
   * network of that name has any more means the container cannot start as it is.
   */
  networkIds?: Record<string, string>;
  ports: { containerPort: number; hostPort?: number; hostIP?: string; protocol: string }[];
  /**
   * `networkMode: container:…`: the engine id of the container whose network namespace this
   * one joined (the engine resolves the name at create). When that container is replaced,
   * this one is left in a namespace that is gone (F118).
   */
  joinedNetworkOf?: string;
  /**
   * Host paths of the container's bind mounts, sorted (berth's Secret and Config files among
   * them); absent when it has none, or the engine's list does not say.
   */
  mountSources?: string[];
  /**
   * The settings the engine can change in place (`docker update`); read by inspect only (the
   * list carries none), so absent from `observe`: the watch reads them for a container its
   * engine says was updated (F272).
   */
  settings?: ContainerSettings;
}

/**
 * A container's settings that the engine can change in place, without a restart (`docker
 * update`): restart policy and resource limits. An absent field is the engine's default (no
 * limit; for `memorySwapBytes`, the default the engine derives from the memory limit).
 */
export interface ContainerSettings {
  restartPolicy: 'no' | 'on-failure' | 'unless-stopped' | 'always';
  /** The engine's MaximumRetryCount of an `on-failure` policy; absent: 0 (no limit). */
  restartMaxRetries?: number;
  memoryBytes?: number;
  /** -1: unlimited swap. */
  memorySwapBytes?: number;
  memoryReservationBytes?: number;
  nanoCpus?: number;
  cpuShares?: number;
  cpuset?: string;
  pidsLimit?: number;
}

/**
 * What {@link Engine.updateContainer} sets: the fields given, the others left as they are.
 * `pidsLimit: 0` takes the pids limit off; no other limit can be taken off in place (the
 * engine reads 0 as "unchanged"), so a limit declared away is a replace.
 */
export type ContainerSettingsUpdate = Partial<ContainerSettings>;

export interface ObservedNetwork {
  id: string;
  name: string;
  labels: Labels;
  driver: string;
  createdAt: number;
}

export interface ObservedVolume {
  name: string;
  labels: Labels;
  driver: string;
  mountpoint: string;
  createdAt: number;
}

export interface ObservedImage {
  id: string;
  repoTags: string[];
  /** `repo@sha256:…` as the engine reports them. */
  repoDigests: string[];
  labels: Labels;
  createdAt: number;
}

/** One snapshot of what the engine has, for one project or all projects. */
export interface ObservedState {
  containers: ObservedContainer[];
  networks: ObservedNetwork[];
  volumes: ObservedVolume[];
  images: ObservedImage[];
  /**
   * The networks and volumes asked for by `ObserveOptions.named`, whatever their labels;
   * absent when nothing was asked or the engine does not honour the option (then callers
   * fall back to {@link Engine.lookupNames}).
   */
  named?: { networks: ObservedNetwork[]; volumes: ObservedVolume[] };
  /**
   * Asked for with `ObserveOptions.identify`: a string unique to this engine, so that two
   * observations with one mark came from one engine (two contexts that name one daemon).
   * Absent when the engine cannot tell at no cost.
   */
  engineMark?: string;
}

/** Details read for one container (describe, exit codes, health logs). */
export interface ContainerDetails extends ObservedContainer {
  restartCount: number;
  exitCode: number;
  /** The engine's error for the last start, as it said it (may quote the container). */
  error?: string;
  oomKilled: boolean;
  /**
   * The probe's recent results, output as the container printed it: a Secret's value may be
   * in it. Quote it (and `error`, and tailLogs) only through lifecycle/output-excerpt.ts,
   * which hides Secret values (F562).
   */
  healthLog: { start: string; exitCode: number; output: string }[];
  pid: number;
  /**
   * The engine's own restart policy (`HostConfig.RestartPolicy`), when the engine says: an
   * exited container under `no`, or under `on-failure` after exit code 0, stays exited.
   */
  restartPolicy?: ContainerCreateRequest['restartPolicy'];
}

/** A progress line from a long engine operation (pull, build). */
export type ProgressListener = (line: string) => void;

export interface MutationResult {
  /** False when the object was already in the requested condition (304, already gone). */
  changed: boolean;
}

export interface NameLookup {
  containers?: string[];
  networks?: string[];
  volumes?: string[];
}

export interface ObserveOptions {
  /** Project name; omitted: every berth project. */
  project?: string;
  /**
   * Networks and volumes to report by exact engine name whatever their labels (declared
   * external ones), in `ObservedState.named`. Costs no extra call: the list of a kind asked
   * about is read unfiltered and split by label in the adapter (the engine cannot OR a
   * label filter with a name filter), so a no-op apply with externals stays at four calls.
   */
  named?: { networks?: readonly string[]; volumes?: readonly string[] };
  /**
   * Also report `ObservedState.engineMark`, at no extra call (a set spanning contexts asks,
   * to find contexts that reach one engine even before any object of the project exists).
   */
  identify?: boolean;
}

/** What `ping` tells of the engine. */
export interface EngineVersion {
  version: string;
  apiVersion: string;
  /**
   * Declared fields this engine drops or refuses whatever its API version (F165): the adapter
   * declares them, and berth refuses a set that uses one before any change. Absent: none.
   */
  limits?: EngineLimits;
}

/** What an event subscription asks for: the project, a window of time (Unix ms), names. */
export interface EventOptions extends ObserveOptions {
  since?: number;
  until?: number;
  /**
   * The project's declared networks and volumes ({@link ResourceNames}), read at each event,
   * so a follow matches the set as it is then. Without it only the `<project>-` prefix matches.
   */
  resources?: () => ResourceNames;
}

export interface Engine {
  /** Where the engine is reached, for messages ("unix:///var/run/docker.sock"). */
  readonly address: string;

  ping(): Promise<EngineVersion>;
  /**
   * Constant number of calls: label-filtered lists of containers, networks, volumes, images.
   * A container's state agrees with every event already delivered to a subscriber of this
   * engine (an adapter whose list lags behind its events reads those containers itself).
   */
  observe(options: ObserveOptions): Promise<ObservedState>;

  /**
   * Engine objects with exactly these names, whatever their labels: how a declared
   * object's name taken by something berth does not own is found. At most one list call
   * per kind, and only for the kinds asked about.
   */
  lookupNames(names: NameLookup): Promise<Omit<ObservedState, 'images'>>;

  /** Read fresh from the engine (never a cached list), so it reflects every event seen so far. */
  inspectContainer(id: string): Promise<ContainerDetails | undefined>;
  /**
   * The last `lines` lines the container wrote, stdout and stderr in the order written, as
   * one text (not followed): what a failure reason quotes of a container about to be
   * discarded (F560). Undefined when there is no such container. For failure paths only.
   */
  tailLogs(id: string, lines: number): Promise<string | undefined>;
  /** One network by id or name, whatever its labels; undefined when there is none. */
  inspectNetwork(idOrName: string): Promise<ObservedNetwork | undefined>;
  /** One volume by name, whatever its labels; undefined when there is none. */
  inspectVolume(name: string): Promise<ObservedVolume | undefined>;
  /**
   * A name already taken rejects with E_CONFLICT whose `detail.holder` is the container that
   * holds it (adapters wait out an engine's name reservation to read it).
   */
  createContainer(request: ContainerCreateRequest): Promise<{ id: string }>;
  startContainer(id: string): Promise<MutationResult>;
  /**
   * Stops with SIGTERM, then SIGKILL after `timeoutSec`; without it, after the container's
   * own stop timeout (set at create from `stopGracePeriod`), so a stop that no longer has the
   * spec at hand (delete, prune) still honours the grace period it was declared with.
   */
  stopContainer(id: string, timeoutSec?: number): Promise<MutationResult>;
  killContainer(id: string, signal?: string): Promise<MutationResult>;
  pauseContainer(id: string): Promise<MutationResult>;
  unpauseContainer(id: string): Promise<MutationResult>;
  removeContainer(id: string): Promise<MutationResult>;
  renameContainer(id: string, name: string): Promise<MutationResult>;
  /**
   * Sets the given settings of a container in place (`POST /containers/{id}/update`), without
   * a restart; see {@link ContainerSettingsUpdate} for what can be set. A memory limit given
   * without swap gets the swap the engine would give it at create (it refuses a memory limit
   * above the swap limit it has).
   */
  updateContainer(id: string, settings: ContainerSettingsUpdate): Promise<MutationResult>;

  createNetwork(request: NetworkCreateRequest): Promise<{ id: string }>;
  removeNetwork(idOrName: string): Promise<MutationResult>;
  connectNetwork(network: string, container: string, aliases: string[]): Promise<MutationResult>;
  disconnectNetwork(network: string, container: string): Promise<MutationResult>;

  createVolume(request: VolumeCreateRequest): Promise<{ name: string }>;
  removeVolume(name: string): Promise<MutationResult>;

  inspectImage(ref: string): Promise<ObservedImage | undefined>;
  pullImage(
    ref: string,
    auth?: RegistryAuth,
    onProgress?: ProgressListener,
  ): Promise<ObservedImage>;
  /**
   * Builds and tags the image. `signal` aborted: the build's request is closed, so the engine
   * cancels the build (no image is tagged), and the call rejects with E_IMAGE_BUILD saying it was
   * cancelled (Ctrl-C during apply, F194).
   */
  buildImage(
    request: ImageBuildRequest,
    onProgress?: ProgressListener,
    signal?: AbortSignal,
  ): Promise<ObservedImage>;
  removeImage(ref: string): Promise<MutationResult>;
  /** Gives the image `source` (id or reference) the extra reference `ref`; idempotent. */
  tagImage(source: string, ref: string): Promise<MutationResult>;
  /**
   * Pushes the local image `ref` to the registry its name points at. Resolves with the
   * manifest digest the registry now holds for it (`sha256:…`); failures (unauthorized,
   * registry unreachable, no such local image) are E_IMAGE_PUSH naming the ref, never the
   * credentials.
   */
  pushImage(
    ref: string,
    auth?: RegistryAuth,
    onProgress?: ProgressListener,
  ): Promise<{ digest?: string }>;

  /**
   * Container events for the project's labels plus network and volume events (matched by
   * name: the `<project>-` prefix or `options.resources`). With `until`, replays past events
   * and ends (describe's recent events); without, follows until closed.
   */
  subscribeEvents(options: EventOptions, onEvent: (event: EngineEvent) => void): EventSubscription;
}

export type EngineErrorCode =
  | 'E_ENGINE_UNREACHABLE'
  | 'E_NOT_FOUND'
  | 'E_CONFLICT'
  | 'E_IMAGE_PULL'
  | 'E_IMAGE_PUSH'
  | 'E_IMAGE_BUILD'
  /** A failure worth another try (the engine's own hiccup); never on a destructive step. */
  | 'E_ENGINE'
  /**
   * The object acted on does not carry berth's labels: berth never stops, starts, pauses,
   * removes, renames or disconnects it (DESIGN.md, "Identity and ownership").
   */
  | 'E_NOT_OWNED'
  /**
   * A destructive step (stop, kill, pause, unpause, remove, rename, disconnect) got an
   * answer the adapter does not know: an error, never retried (issue 19 item 11).
   */
  | 'E_UNEXPECTED';

/** The only error an engine raises. `detail` is the engine's own message. */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly detail?: {
      operation: string;
      target?: string;
      status?: number;
      cause?: unknown;
      /**
       * `createContainer`'s E_CONFLICT: the container that holds the name, once the engine
       * lets it be read; unset when it could not be read (gone again, or never visible).
       */
      holder?: ContainerDetails;
      /**
       * `removeImage`'s and `removeNetwork`'s E_CONFLICT: the engine names of the containers
       * that use the image or are attached to the network (whoever owns them); unset or empty
       * when it is held by something else (a network's stale endpoint, moby#42119).
       */
      usedBy?: string[];
      /**
       * `startContainer`: the engine could not run the container's command — `not-found` (no
       * such file), `not-executable` (permission denied, a directory). `docker run` exits 127
       * and 126 for these, as a shell does (F465).
       */
      commandFailure?: 'not-found' | 'not-executable';
      /**
       * `startContainer`: the host address and port the engine could not bind because
       * something holds it (the message says `host port 127.0.0.1:8080 is in use`).
       */
      portInUse?: { hostIP: string; hostPort: number };
      /**
       * `startContainer`: the engine's runtime still holds a task of this container from
       * before the engine restarted (containerd's "task <id>: already exists"; Docker 20.10
       * never clears it), so this container can never start again; a new one can (F766,
       * ENGINE-NOTES.md "Daemon restarts").
       */
      staleTask?: boolean;
    },
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export function isEngineError(e: unknown, code?: EngineErrorCode): e is EngineError {
  return e instanceof EngineError && (code === undefined || e.code === code);
}
