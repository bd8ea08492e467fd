/**
 * The engine seam of the Swarm backend (`--backend swarm`, DESIGN.md "Several engines and a
 * cluster engine"): what berth reads from and asks of a Swarm manager. Engine-neutral words;
 * only swarm-engine.ts knows the Engine API's shapes, status codes and version indexes.
 *
 * Contract: `observe` costs five list calls (services, tasks, networks, secrets, configs),
 * whatever the number of objects; every removal first reads the object and refuses with
 * `E_NOT_OWNED` unless it carries berth's labels for its kind; failures reject with an
 * EngineError.
 */

import type { Labels } from '../engine.js';
import type { IpamEntry } from '../../../specs/model.js';

/** The service spec berth sends (the Engine API's `ServiceSpec`, built by swarm-service-spec.ts). */
export interface SwarmServiceSpec {
  Name: string;
  Labels: Labels;
  TaskTemplate: Record<string, unknown>;
  Mode: { Replicated: { Replicas: number } };
  UpdateConfig: Record<string, unknown>;
  RollbackConfig?: Record<string, unknown>;
  EndpointSpec: { Mode: 'dnsrr'; Ports?: Record<string, unknown>[] };
}

export interface ObservedService {
  id: string;
  name: string;
  labels: Labels;
  /** The version index an update must name (optimistic concurrency). */
  version: number;
  replicas: number;
  image: string;
  /** `berth.task-hash` of its task template (what its current tasks carry). */
  taskHash?: string;
  /** `updating`, `completed`, `paused`, `rollback_started`, `rollback_completed`… when an update ran. */
  updateState?: string;
  updateMessage?: string;
}

/** One task (one replica slot's attempt) of a service. */
export interface ObservedTask {
  id: string;
  serviceId: string;
  /** Its container's labels (berth's, with `berth.task-hash` of the spec it runs). */
  labels: Labels;
  /** 1-based replica slot. */
  slot: number;
  nodeId: string;
  /** What the orchestrator wants: `running`, `shutdown`, `ready`… */
  desiredState: string;
  /** Where the task is: `new` … `starting`, `running`, `complete`, `failed`, `rejected`, `shutdown`. */
  state: string;
  /** The engine's message for the state (`started`, `task: non-zero exit (1)`). */
  message: string;
  /** Set when the task failed or was rejected (`No such image: …`). */
  error?: string;
  containerId?: string;
  exitCode?: number;
  /** Unix ms of the last status change. */
  updatedAt: number;
}

/** A network, secret or config: id, name and labels are all berth reads. */
export interface ObservedSwarmObject {
  id: string;
  name: string;
  labels: Labels;
}

/** One snapshot of a project's (or every project's) objects on a Swarm. */
export interface SwarmObserved {
  services: ObservedService[];
  tasks: ObservedTask[];
  networks: ObservedSwarmObject[];
  secrets: ObservedSwarmObject[];
  configs: ObservedSwarmObject[];
}

export interface SwarmNetworkRequest {
  name: string;
  labels: Labels;
  internal: boolean;
  options: Record<string, string>;
  ipam?: IpamEntry;
}

/** A secret or config: immutable on a Swarm, so a new value gets a new name. */
export interface SwarmFileRequest {
  name: string;
  labels: Labels;
  data: Buffer;
}

/** The kinds of Swarm object berth removes, as the ownership guard names them. */
export type SwarmKind = 'service' | 'network' | 'secret' | 'config';

export interface SwarmLogOptions {
  follow?: boolean;
  tail?: number;
  /** Unix seconds. */
  since?: number;
  timestamps?: boolean;
}

/** One node of the Swarm, as berth reaches its engine (exec, cp). */
export interface ObservedNode {
  id: string;
  hostname: string;
  /** The address the node advertises to the Swarm (`10.231.0.12`), no port. */
  addr: string;
  /** `manager` or `worker`. */
  role: string;
  /** `ready`, `down`, `unknown`… */
  state: string;
  labels: Labels;
}

/** A change to a service, as the manager's event stream reports it. */
export interface SwarmServiceEvent {
  /** `create`, `update`, `remove`. */
  action: string;
  /** The service's name (`<project>-<name>`). */
  service: string;
}

export interface SwarmEngine {
  /** Where the manager is reached, for messages. */
  readonly address: string;
  /** Five list calls in parallel; `project` omitted: every berth project. */
  observe(project?: string): Promise<SwarmObserved>;
  createService(spec: SwarmServiceSpec): Promise<{ id: string }>;
  /** Replaces the spec of service `id` at `version` (a rolling update under its UpdateConfig). */
  updateService(id: string, version: number, spec: SwarmServiceSpec): Promise<void>;
  createNetwork(request: SwarmNetworkRequest): Promise<{ id: string }>;
  createSecret(request: SwarmFileRequest): Promise<{ id: string }>;
  createConfig(request: SwarmFileRequest): Promise<{ id: string }>;
  /** Owned objects only (E_NOT_OWNED otherwise); a missing one is already removed. */
  remove(kind: SwarmKind, id: string): Promise<{ changed: boolean }>;
  /** The service's log stream in the Engine API's multiplexed frame format. */
  serviceLogs(id: string, options: SwarmLogOptions): Promise<NodeJS.ReadableStream>;
  /** Every node of the Swarm (one list call). */
  nodes(): Promise<ObservedNode[]>;
  /** The Swarm node id of the engine berth talks to (one info call); '' when it has none. */
  selfNodeId(): Promise<string>;
  /**
   * Service events (create, update, remove) from now on, until the returned function is
   * called; `onError` once when the stream breaks (the caller resubscribes or resyncs).
   */
  subscribeServiceEvents(
    onEvent: (event: SwarmServiceEvent) => void,
    onError: (error: Error) => void,
  ): () => void;
}
