/**
 * The normalised desired Container: its spec and the pieces it is made of (ports, network
 * attachments, mounts, healthcheck, resources, devices, update policy). Plain data, as in
 * model.ts, which re-exports every type here.
 */

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
   * Under `OnFailure` only: at most this many restarts after a failure (the engine's
   * `RestartPolicy.MaximumRetryCount`); berth restarts it no more either once the engine's
   * RestartCount has reached it (controller/lifecycle/container-decision.ts). Unset: no limit.
   */
  restartMaxRetries?: number;
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
