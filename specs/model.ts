/**
 * The normalised desired side: what `specs/` hands to `controller/`.
 *
 * Everything here is plain data, already validated and normalised: durations in
 * milliseconds, quantities in bytes, host paths absolute, env sorted, references
 * resolved to declared names. The controller never sees raw YAML.
 */

export const KINDS = ['Image', 'Network', 'BindMount', 'Volume', 'Container'] as const;
export type Kind = (typeof KINDS)[number];

/** Where a value came from, so any later error can point at it. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface ImageBuild {
  /** Absolute path of the build context. */
  context: string;
  /** Dockerfile path relative to the context. */
  dockerfile: string;
  args: Record<string, string>;
  target?: string;
  /**
   * Hash of the context's content (honouring .dockerignore), the Dockerfile and args:
   * the image is rebuilt only when this changes. Recorded as a label on the image.
   */
  contentHash: string;
}

export interface ImageSpec {
  ref: string;
  pullPolicy: PullPolicy;
  build?: ImageBuild;
}

export type NetworkDriver = 'bridge' | 'host' | 'none' | 'macvlan' | 'ipvlan' | 'overlay';

export interface NetworkSpec {
  driver: NetworkDriver;
  internal: boolean;
  attachable: boolean;
  ipam?: { subnet?: string; gateway?: string };
  options: Record<string, string>;
}

export type BindMountType = 'Directory' | 'DirectoryOrCreate' | 'File' | 'FileOrCreate';

export interface BindMountSpec {
  /** Absolute host path. */
  hostPath: string;
  type: BindMountType;
}

export interface VolumeSpec {
  driver: string;
  options: Record<string, string>;
  retain: boolean;
}

export type DesiredContainerState = 'running' | 'paused' | 'exited' | 'created';
export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';
export type DependsCondition = 'started' | 'healthy' | 'completed';

export interface PortBinding {
  containerPort: number;
  /** Omitted: the engine picks a free port. */
  hostPort?: number;
  /** Default '' (all interfaces), as the engine does. */
  hostIP: string;
  protocol: 'tcp' | 'udp' | 'sctp';
}

export interface NetworkAttachment {
  /** Name of a declared Network. */
  network: string;
  aliases: string[];
}

export type ContainerMount =
  | { type: 'bind'; bindMount: string; target: string; readOnly: boolean }
  | { type: 'volume'; volume: string; target: string; readOnly: boolean }
  | { type: 'tmpfs'; target: string; sizeBytes?: number };

export interface Healthcheck {
  command: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
  /** berth restarts a container reported unhealthy unless this is false. */
  restartOnUnhealthy: boolean;
}

export interface Resources {
  memoryBytes?: number;
  nanoCpus?: number;
  pids?: number;
}

/**
 * How a changed container is replaced (DESIGN.md "Updates and rollback"). Not hashed:
 * changing only this never recreates. Absent fields take the defaults of `updatePolicy`.
 */
export interface UpdateSpec {
  order?: 'start-first' | 'stop-first';
  /** Deadline of the health gate, ms. */
  healthTimeoutMs?: number;
  /** Without a healthcheck: running this long without exiting passes the gate, ms. */
  minReadyMs?: number;
  onFailure?: 'rollback' | 'pause';
}

/** Which image a container runs: a declared Image object, or a literal reference. */
export type ImageReference = { object: string; ref: string } | { object?: undefined; ref: string };

export interface ContainerSpec {
  image: ImageReference;
  /**
   * How many containers run this spec; absent means 1. Above 1 the declared container is
   * expanded into instances `<name>-<i>` before linking (specs/expand.ts); not hashed.
   */
  replicas?: number;
  state: DesiredContainerState;
  command?: string[];
  args?: string[];
  /** Sorted by key. */
  env: Record<string, string>;
  ports: PortBinding[];
  networks: NetworkAttachment[];
  mounts: ContainerMount[];
  restartPolicy: RestartPolicy;
  dependsOn: { container: string; condition: DependsCondition }[];
  healthcheck?: Healthcheck;
  resources: Resources;
  user?: string;
  workingDir?: string;
  stopGracePeriodMs: number;
  privileged: boolean;
  /** Run the engine's init as PID 1 (forwards signals, reaps zombies). */
  init: boolean;
  update?: UpdateSpec;
}

interface ObjectOf<K extends Kind, S> {
  kind: K;
  name: string;
  labels: Record<string, string>;
  spec: S;
  /** Position of the document (its `kind:` key) in its file. */
  source: SourcePosition;
  /**
   * Hash of the normalised fields that need a recreate (and metadata.labels).
   * Stable across key order and equivalent spellings.
   */
  specHash: string;
}

export type ImageObject = ObjectOf<'Image', ImageSpec>;
export type NetworkObject = ObjectOf<'Network', NetworkSpec>;
export type BindMountObject = ObjectOf<'BindMount', BindMountSpec>;
export type VolumeObject = ObjectOf<'Volume', VolumeSpec>;
/** Which declared container an expanded instance runs, and its index (from 1). */
export interface ReplicaOf {
  of: string;
  index: number;
}

export type ContainerObject = ObjectOf<'Container', ContainerSpec> & {
  /** Set on the instances of a container declared with `replicas` above 1. */
  replica?: ReplicaOf;
};

export type DesiredObject =
  ImageObject | NetworkObject | BindMountObject | VolumeObject | ContainerObject;

/** `Kind/name`, the key of an object everywhere (queues, status, plan steps). */
export type ObjectKey = `${Kind}/${string}`;

export function objectKey(o: { kind: Kind; name: string }): ObjectKey {
  return `${o.kind}/${o.name}`;
}

/** A validated, normalised set of objects, as read from one or more sources. */
export interface DesiredSet {
  objects: DesiredObject[];
  /** The files that were read, absolute, sorted. */
  files: string[];
}
