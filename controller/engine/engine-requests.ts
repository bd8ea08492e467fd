import type { ContainerRuntimeOptions, EndpointRequest } from './container-options.js';
import type { IpamEntry } from '../../specs/model.js';

/** An object's labels as the engine stores them: key → value. */
export type Labels = Record<string, string>;

/** One published port: the container port, where on the host, which protocol. */
export interface PortRequest {
  containerPort: number;
  hostPort?: number;
  /** With `hostPort`: the last port of a range; the engine publishes on one free port of it. */
  hostPortEnd?: number;
  hostIP: string;
  protocol: string;
}

/** One mount of a container: a bind, a named volume or a tmpfs, in the engine's terms. */
export type MountRequest =
  | {
      type: 'bind';
      source: string;
      target: string;
      readOnly: boolean;
      propagation?: string;
      /** SELinux relabelling (`z` shared, `Z` private): only the engine's bind syntax carries it. */
      selinux?: 'z' | 'Z';
    }
  | {
      type: 'volume';
      source: string;
      target: string;
      readOnly: boolean;
      subpath?: string;
      noCopy?: boolean;
      /** SELinux relabelling of the volume's data: as for a bind, only the bind syntax carries it. */
      selinux?: 'z' | 'Z';
    }
  | {
      type: 'tmpfs';
      target: string;
      sizeBytes?: number;
      mode?: number;
      /** Owner and group of the tmpfs root: only the engine's `HostConfig.Tmpfs` carries them. */
      uid?: number;
      gid?: number;
      /** mount(8) flags (`noexec`, `nosuid`): likewise only in `HostConfig.Tmpfs` before API 1.46. */
      options?: string[];
    };

/** Engine-neutral description of a container to create. */
export interface ContainerCreateRequest extends ContainerRuntimeOptions {
  name: string;
  image: string;
  labels: Labels;
  entrypoint?: string[];
  cmd?: string[];
  env: Record<string, string>;
  ports: PortRequest[];
  mounts: MountRequest[];
  /** Engine network names with aliases; the first is attached at create, the rest connected. */
  networks: EndpointRequest[];
  restartPolicy: 'no' | 'on-failure' | 'unless-stopped' | 'always';
  /** With `on-failure`: the most restarts the engine makes (unset: no limit). */
  restartMaxRetries?: number;
  healthcheck?: {
    test: string[];
    intervalMs: number;
    timeoutMs: number;
    retries: number;
    startPeriodMs: number;
    startIntervalMs?: number;
  };
  memoryBytes?: number;
  nanoCpus?: number;
  pidsLimit?: number;
  user?: string;
  workingDir?: string;
  stopTimeoutSec: number;
  init: boolean;
  privileged: boolean;
}

/** Engine-neutral description of a network to create. */
export interface NetworkCreateRequest {
  name: string;
  driver: string;
  internal: boolean;
  attachable: boolean;
  ipam?: IpamEntry;
  /** More subnets (an IPv6 one beside the IPv4 `ipam`). */
  ipamMore?: IpamEntry[];
  enableIPv6?: boolean;
  options: Record<string, string>;
  labels: Labels;
}

/** Engine-neutral description of a volume to create. */
export interface VolumeCreateRequest {
  name: string;
  driver: string;
  options: Record<string, string>;
  labels: Labels;
}

/** Engine-neutral description of an image build: the context, Dockerfile, tag, args. */
export interface ImageBuildRequest {
  /** Absolute path of the context folder ('' with `remote`). */
  contextDir: string;
  /**
   * A context the engine fetches itself instead (a git URL `…#ref:subdir`, an http(s) URL):
   * then nothing is uploaded and `files` is empty.
   */
  remote?: string;
  /** Files to send, relative to the context (already filtered by .dockerignore). */
  files: string[];
  /**
   * Of `files`, those sent only for the builder to read (the Dockerfile, `.dockerignore`)
   * because `.dockerignore` leaves them out of the context.
   */
  builderOnly?: string[];
  dockerfile: string;
  /** The Dockerfile's text, declared inline: sent inside the context under `dockerfile`. */
  dockerfileInline?: string;
  tag: string;
  args: Record<string, string>;
  target?: string;
  /** Image references the builder may take cache from (the engine's `cachefrom`). */
  cacheFrom?: string[];
  labels: Labels;
  /**
   * BuildKit build secrets by id (`RUN --mount=type=secret,id=ID`): the values, handed over a
   * build session only when a step asks; adapters never log, label or store them.
   */
  secrets?: Record<string, Buffer>;
}

/** Credentials for one registry, as Docker's X-Registry-Auth carries them. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}
