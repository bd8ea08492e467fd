/**
 * The normalised desired side: what `specs/` hands to `controller/`.
 *
 * Everything here is plain data, already validated and normalised: durations in
 * milliseconds, quantities in bytes, host paths absolute, env sorted, references
 * resolved to declared names. The controller never sees raw YAML. The Container's spec
 * and its parts are in container-spec.ts, re-exported here.
 */

import type { ContainerSpec } from './container-spec.js';

export type {
  BindPropagation,
  ContainerMount,
  ContainerSpec,
  DependsCondition,
  DesiredContainerState,
  DeviceMapping,
  FileMount,
  GpuRequest,
  Healthcheck,
  ImageReference,
  LimitPair,
  NetworkAttachment,
  PortBinding,
  Resources,
  RestartPolicy,
  UpdateSpec,
} from './container-spec.js';

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
   * Image references the engine may reuse build cache from (Compose `build.cache_from`), as
   * written, duplicates dropped. Not in the build key nor the spec hash: the cache changes how
   * fast the image is built, not what it holds, so a changed list alone rebuilds nothing.
   */
  cacheFrom?: string[];
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

/** One IPAM pool of a network; unset fields are absent (so older spec hashes stay the same). */
export interface IpamEntry {
  subnet?: string;
  gateway?: string;
  /** The part of the subnet containers get their addresses from (Compose `ip_range`). */
  ipRange?: string;
  /** Host name → address the engine keeps out of its allocation (Compose `aux_addresses`). */
  auxAddresses?: Record<string, string>;
}

export type NetworkDriver = 'bridge' | 'host' | 'none' | 'macvlan' | 'ipvlan' | 'overlay';

export interface NetworkSpec {
  driver: NetworkDriver;
  internal: boolean;
  attachable: boolean;
  ipam?: IpamEntry;
  /** The ipam entries after the first (`ipam` written as a list: an IPv6 subnet beside an IPv4 one). */
  ipamMore?: IpamEntry[];
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
