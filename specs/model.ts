/**
 * The normalised desired side: what `specs/` hands to `controller/`.
 *
 * Everything here is plain data, already validated and normalised: durations in
 * milliseconds, quantities in bytes, host paths absolute, env sorted, references
 * resolved to declared names. The controller never sees raw YAML.
 */

export const KINDS = [
  'Image',
  'Network',
  'BindMount',
  'Volume',
  'Container',
  'Secret',
  'Config',
] as const;
export type Kind = (typeof KINDS)[number];

/** Where a value came from, so any later error can point at it. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface ImageBuild {
  /**
   * Absolute path of the build context folder; with `remote`, the URL of a context the
   * engine fetches itself (a git repository `…#ref:subdir`, or an http(s) tarball/Dockerfile).
   */
  context: string;
  /** The context is a URL the engine fetches (POST /build `remote`): nothing is read locally. */
  remote?: true;
  /**
   * Dockerfile path relative to the context; for `dockerfileInline`, the name the text is sent
   * under inside the context (`.dockerfile.inline`, specs/build/remote-context.ts).
   */
  dockerfile: string;
  /** The Dockerfile's text, declared inline (Compose `build.dockerfile_inline`). */
  dockerfileInline?: string;
  args: Record<string, string>;
  target?: string;
  /**
   * BuildKit build secrets by id: the digest of each value read at load time (the bytes stay
   * in specs/file-values.ts, in memory only). Not part of the content hash: as with
   * `docker build --secret`, a changed secret alone does not rebuild.
   */
  secrets?: { id: string; digest: string }[];
  /**
   * Hash of the context's content (honouring .dockerignore) and the Dockerfile: with `args`,
   * what rebuilds the image (specs/build/build-key.ts, recorded as a label on the image).
   * For a remote context: of the URL as written (with its `#ref`) and the Dockerfile's name,
   * since the content is not local (a branch that moves does not rebuild; pin a tag or a
   * commit).
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
  /** The ipam entries after the first (`ipam` written as a list: an IPv6 subnet beside an IPv4 one). */
  ipamMore?: { subnet?: string; gateway?: string }[];
  /** Present (true) only when the network has IPv6. */
  enableIPv6?: true;
  options: Record<string, string>;
  /**
   * The engine name of an owned network (F134; Compose's `networks.X.name`): created, labelled
   * and owned by berth under exactly this name instead of `<project>-<name>`. Unset: the default.
   * controller/labels.ts `resourceEngineName` is the one place that reads it.
   */
  name?: string;
  /** Set for `external: true`: the other fields are unused and berth never touches the network. */
  external?: ExternalRef;
}

export type BindMountType = 'Directory' | 'DirectoryOrCreate' | 'File' | 'FileOrCreate' | 'Socket';

export interface BindMountSpec {
  /** Absolute host path. */
  hostPath: string;
  type: BindMountType;
}

export interface VolumeSpec {
  driver: string;
  options: Record<string, string>;
  retain: boolean;
  /**
   * The engine name of an owned volume (F134; Compose's `volumes.X.name`), as for a Network's
   * `name`: owned by berth under exactly this name instead of `<project>-<name>`.
   */
  name?: string;
  /** Set for `external: true`: the other fields are unused and berth never touches the volume. */
  external?: ExternalRef;
}

/**
 * A Secret or Config: where its bytes come from, as declared, and their digest. The bytes
 * themselves are never part of the model (so never in records, plan, status or labels):
 * specs/file-values.ts holds them, in memory, by digest.
 */
export interface FileValueSpec {
  /** An absolute file path, a variable of berth's environment, or (Config only) inline content. */
  source: { file: string } | { env: string } | { content: string };
  /** `sha256:` and the first 16 hex digits of the bytes' sha256; covered by the hash of every container mounting it. */
  digest: string;
}

/** External networks and volumes: used by engine name, never created, changed or deleted. */
export interface ExternalRef {
  /** The engine object's name (default: metadata.name). */
  name: string;
}

export type DesiredContainerState = 'running' | 'paused' | 'exited' | 'created';
export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';
export type DependsCondition = 'started' | 'healthy' | 'completed';

export interface PortBinding {
  containerPort: number;
  /** Omitted: the engine picks a free port. */
  hostPort?: number;
  /**
   * With `hostPort`: the last port of a host range (`8000-8010:80`); the engine publishes on
   * one free port of `hostPort..hostPortEnd`, as Docker does. Always above `hostPort`.
   */
  hostPortEnd?: number;
  /** Default '' (all interfaces), as the engine does. */
  hostIP: string;
  protocol: 'tcp' | 'udp' | 'sctp';
}

export interface NetworkAttachment {
  /** Name of a declared Network. */
  network: string;
  aliases: string[];
  /** Static addresses; the network must declare an ipam subnet that holds them. */
  ipv4Address?: string;
  ipv6Address?: string;
  /** Lower-case `02:42:ac:1e:00:0a`. */
  macAddress?: string;
  /**
   * Present only when not 0. The network with the highest priority (the first written
   * among equals) is attached at create and gives the container its default route.
   */
  priority?: number;
}

/**
 * A Secret or Config mounted as a read-only file. `name` is the object's name; `mode` is
 * the written file's permission bits (default 0600 for secrets, 0444 for configs), owned
 * by `uid`/`gid` (default root) so that the container's user can read it.
 */
export type FileMount = FileMountOf<'secret'> | FileMountOf<'config'>;

interface FileMountOf<T extends 'secret' | 'config'> {
  type: T;
  name: string;
  target: string;
  mode: number;
  uid?: number;
  gid?: number;
}

export type BindPropagation = 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';

export type ContainerMount =
  | FileMount
  | {
      type: 'bind';
      bindMount: string;
      target: string;
      readOnly: boolean;
      propagation?: BindPropagation;
      /** SELinux relabelling of the host path (Compose `:z` shared, `:Z` private). */
      selinux?: 'z' | 'Z';
    }
  | {
      type: 'volume';
      volume: string;
      target: string;
      readOnly: boolean;
      /** A path inside the volume (Engine API 1.45). */
      subpath?: string;
      /** Present (true) only when the image's files must not be copied in. */
      noCopy?: boolean;
      /** SELinux relabelling of the volume's data (Compose `name:/path:z` / `:Z`). */
      selinux?: 'z' | 'Z';
    }
  | {
      type: 'tmpfs';
      target: string;
      sizeBytes?: number;
      /** Permission bits, e.g. 0o1777. */ mode?: number;
      /** Owner and group of the tmpfs root. */
      uid?: number;
      gid?: number;
      /** mount(8) flags such as `noexec`, `nosuid` (Compose `tmpfs: /tmp:noexec`). */
      options?: string[];
    };

export interface Healthcheck {
  command: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
  /** Time between checks during the start period (Engine API 1.44: `Healthcheck.StartInterval`). */
  startIntervalMs?: number;
  /** berth restarts a container reported unhealthy unless this is false. */
  restartOnUnhealthy: boolean;
}

export interface Resources {
  memoryBytes?: number;
  nanoCpus?: number;
  pids?: number;
  memoryReservationBytes?: number;
  /** Memory plus swap in bytes; -1 for unlimited swap. */
  memorySwapBytes?: number;
  /** Relative CPU weight (the engine's default is 1024). */
  cpuShares?: number;
  /** CPUs allowed, as the engine writes them: `0-3`, `0,2`. */
  cpuset?: string;
  oomScoreAdj?: number;
}

/** A host device handed to the container (policy privileged). */
export interface DeviceMapping {
  hostPath: string;
  containerPath: string;
  /** Some of `rwm`, in that order. */
  permissions: string;
}

/** GPUs as engine DeviceRequests: a count (-1 = all) or explicit device ids. */
/**
 * One engine DeviceRequest (`gpus`): a count (-1 = all) or device ids, with the driver
 * (unset: the engine picks), capabilities (unset: `gpu`) and driver options.
 */
export type GpuRequest = ({ count: number } | { deviceIds: string[] }) & {
  driver?: string;
  capabilities?: string[];
  options?: Record<string, string>;
};

export interface LimitPair {
  soft: number;
  hard: number;
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
  /**
   * `restart`: restart this container after berth replaces `container` (Compose's
   * `depends_on.restart`); set only when true, so earlier specs read the same.
   */
  dependsOn: { container: string; condition: DependsCondition; restart?: true }[];
  healthcheck?: Healthcheck;
  resources: Resources;
  user?: string;
  workingDir?: string;
  stopGracePeriodMs: number;
  privileged: boolean;
  /** Run the engine's init as PID 1 (forwards signals, reaps zombies). */
  init: boolean;
  update?: UpdateSpec;
  /*
   * The Compose-parity fields of issue 12. Each is present only when it differs from the
   * engine's default, so a spec written before they existed keeps its hash.
   */
  hostname?: string;
  domainname?: string;
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  /** `host:ip`, sorted, as the engine's ExtraHosts takes them. */
  extraHosts?: string[];
  /** `host`, `none`, `bridge` or `container:NAME` (a declared container). */
  networkMode?: string;
  /** `9000/tcp`, ranges expanded, sorted. */
  expose?: string[];
  /**
   * Absolute paths of the env files, for describe. Their values are merged into `env`
   * (env wins), which is what the hash sees: a changed file recreates, a moved one does not.
   */
  envFiles?: string[];
  /** `CAP_NET_ADMIN` form (or `ALL`), sorted, unique. */
  capAdd?: string[];
  capDrop?: string[];
  securityOpt?: string[];
  readOnlyRootFilesystem?: boolean;
  tty?: boolean;
  /** Keep stdin open (OpenStdin). */
  stdin?: boolean;
  /** `SIGINT` form, or a number as written. */
  stopSignal?: string;
  /** Sorted by key. */
  sysctls?: Record<string, string>;
  /** Sorted by name. */
  ulimits?: Record<string, LimitPair>;
  shmSizeBytes?: number;
  devices?: DeviceMapping[];
  gpus?: GpuRequest;
  groupAdd?: string[];
  /** `private`, `shareable`, `host`, `none` or `container:NAME`. */
  ipc?: string;
  /** `host` or `container:NAME`. */
  pid?: string;
  logging?: { driver: string; options: Record<string, string> };
  /** `os/arch[/variant]`. */
  platform?: string;
  /** The engine's OCI runtime (`runc`, `nvidia`); unset: the engine's default. */
  runtime?: string;
}

interface ObjectOf<K extends Kind, S> {
  kind: K;
  name: string;
  labels: Record<string, string>;
  spec: S;
  /** Position of the document (its `kind:` key) in its file. */
  source: SourcePosition;
  /**
   * Absolute folder of the file it was read from (`berth.source` on the engine object;
   * issue 19 item 10); unset when read from stdin.
   */
  folder?: string;
  /**
   * `spec.placement.context`: the Docker context whose engine holds the object. Absent: the
   * engine berth runs against. Not part of the spec hash (the engine changes, not the object).
   */
  context?: string;
  /**
   * `spec.placement.constraints` (Containers, `--backend swarm` only): Swarm placement
   * constraints such as `node.hostname==dc2`. Not part of the spec hash.
   */
  constraints?: string[];
  /**
   * Hash of the normalised fields that need a recreate (and metadata.labels).
   * Stable across key order and equivalent spellings.
   */
  specHash: string;
}

export type ImageObject = ObjectOf<'Image', ImageSpec>;
export type NetworkObject = ObjectOf<'Network', NetworkSpec> & {
  /** Set on the project default network berth adds when no file declares Network/default. */
  implied?: true;
};
export type BindMountObject = ObjectOf<'BindMount', BindMountSpec>;
export type VolumeObject = ObjectOf<'Volume', VolumeSpec>;
/** Which declared container an expanded instance runs, and its index (from 1). */
export interface ReplicaOf {
  of: string;
  index: number;
}

export type SecretObject = ObjectOf<'Secret', FileValueSpec>;
export type ConfigObject = ObjectOf<'Config', FileValueSpec>;
export type ContainerObject = ObjectOf<'Container', ContainerSpec> & {
  /** Set on the instances of a container declared with `replicas` above 1. */
  replica?: ReplicaOf;
};

export type DesiredObject =
  | ImageObject
  | NetworkObject
  | BindMountObject
  | VolumeObject
  | ContainerObject
  | SecretObject
  | ConfigObject;

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
