import type {
  ContainerDetails,
  ContainerSettings,
  ContainerSettingsUpdate,
  EngineContainerState,
  HealthStatus,
  Labels,
  ObservedContainer,
  ObservedImage,
  ObservedNetwork,
  ObservedVolume,
} from '../engine.js';
import { timesFromStatus } from './docker-status-text.js';

/**
 * Pure translation between berth's engine-neutral shapes and Docker Engine API bodies
 * (API 1.41). No I/O here, so every mapping is unit-tested without a daemon.
 */

export { toCreateBody } from './docker-create-body.js';

/** An entry of `GET /containers/json`, as far as berth reads it. */
export interface DockerContainerSummary {
  Id: string;
  Names?: string[];
  Image?: string;
  ImageID?: string;
  Created?: number;
  State?: string;
  Status?: string;
  Labels?: Labels | null;
  Ports?: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[];
  NetworkSettings?: { Networks?: Record<string, unknown> | null };
  HostConfig?: { NetworkMode?: string };
  Mounts?: { Type?: string; Source?: string }[] | null;
}

const STATES: readonly EngineContainerState[] = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
];

/**
 * Podman's own state words where Docker has none (libpod's states, passed through its
 * Docker-compatible API): `stopped` is a container that has exited and whose cleanup (or
 * restart, under a restart policy) is under way — seen between every two runs of a
 * crash-looping container; `stopping` still runs; `configured` and `initialized` are not
 * started yet. Read as `dead` they made berth replace a container Podman was restarting.
 */
const PODMAN_STATES: Readonly<Record<string, EngineContainerState>> = {
  stopped: 'exited',
  stopping: 'running',
  configured: 'created',
  initialized: 'created',
};

/** The engine's state word; a paused container is `paused` here even though Running is true. */
export function toState(status: string | undefined): EngineContainerState {
  const s = (status ?? '').toLowerCase();
  if ((STATES as readonly string[]).includes(s)) return s as EngineContainerState;
  return PODMAN_STATES[s] ?? 'dead';
}

/** "Exited (137) 3 seconds ago" → 137. */
export function exitCodeFromStatus(status: string | undefined): number | undefined {
  const m = /^Exited \((-?\d+)\)/.exec(status ?? '');
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

/** "Up 5 seconds (healthy)", "(unhealthy)", "(health: starting)" → health. */
export function healthFromStatus(status: string | undefined): HealthStatus {
  const s = status ?? '';
  if (s.includes('(health: starting)')) return 'starting';
  if (s.includes('(unhealthy)')) return 'unhealthy';
  if (s.includes('(healthy)')) return 'healthy';
  return 'none';
}

/** `container:<id>` (the list and inspect give the id the engine resolved) → that id. */
function joinedNetworkOf(mode: string | undefined): Pick<ObservedContainer, 'joinedNetworkOf'> {
  return mode?.startsWith('container:') ? { joinedNetworkOf: mode.slice('container:'.length) } : {};
}

/** The host paths of the listed bind mounts, sorted; nothing when there are none. */
function bindSources(
  mounts: DockerContainerSummary['Mounts'],
): Pick<ObservedContainer, 'mountSources'> {
  const sources = (mounts ?? []).flatMap((m) => (m.Type === 'bind' && m.Source ? [m.Source] : []));
  return sources.length ? { mountSources: sources.sort() } : {};
}

/** Network name → the id of the network each endpoint was made on (`NetworkID`). */
function endpointNetworkIds(
  networks: Record<string, unknown> | null | undefined,
): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [name, endpoint] of Object.entries(networks ?? {})) {
    const id = (endpoint as { NetworkID?: unknown } | null)?.NetworkID;
    // Podman 4.3 puts the network's name there, which says nothing about which network.
    if (typeof id === 'string' && id && id !== name) ids[name] = id;
  }
  return ids;
}

/**
 * One list entry in berth's shape. `now` (Unix ms) is when the list was answered: the start
 * and stop times are read back from the status text's durations.
 */
export function fromContainerSummary(
  c: DockerContainerSummary,
  now: number = Date.now(),
): ObservedContainer {
  const exitCode = exitCodeFromStatus(c.Status);
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? '').replace(/^\//, ''),
    labels: { ...(c.Labels ?? {}) },
    state: toState(c.State),
    imageId: c.ImageID ?? '',
    imageRef: c.Image ?? '',
    createdAt: (c.Created ?? 0) * 1000,
    ...(exitCode !== undefined ? { exitCode } : {}),
    health: healthFromStatus(c.Status),
    ...timesFromStatus(c.Status, now),
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort(),
    networkIds: endpointNetworkIds(c.NetworkSettings?.Networks),
    ...joinedNetworkOf(c.HostConfig?.NetworkMode),
    ...bindSources(c.Mounts),
    ports: (c.Ports ?? []).map((p) => ({
      containerPort: p.PrivatePort,
      ...(p.PublicPort !== undefined ? { hostPort: p.PublicPort } : {}),
      ...(p.IP !== undefined ? { hostIP: p.IP } : {}),
      protocol: p.Type,
    })),
  };
}

export function fromNetwork(n: {
  Id: string;
  Name: string;
  Labels?: Labels | null;
  Driver?: string;
  Created?: string;
}): ObservedNetwork {
  return {
    id: n.Id,
    name: n.Name,
    labels: { ...(n.Labels ?? {}) },
    driver: n.Driver ?? '',
    createdAt: parseTime(n.Created) ?? 0,
  };
}

export function fromVolume(v: {
  Name: string;
  Labels?: Labels | null;
  Driver?: string;
  Mountpoint?: string;
  CreatedAt?: string;
}): ObservedVolume {
  return {
    name: v.Name,
    labels: { ...(v.Labels ?? {}) },
    driver: v.Driver ?? '',
    mountpoint: v.Mountpoint ?? '',
    createdAt: parseTime(v.CreatedAt) ?? 0,
  };
}

/** From `GET /images/json` (Created in seconds) or `GET /images/{ref}/json` (ISO time). */
export function fromImage(i: {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Labels?: Labels | null;
  Config?: { Labels?: Labels | null } | null;
  Created?: number | string;
}): ObservedImage {
  const created = typeof i.Created === 'number' ? i.Created * 1000 : parseTime(i.Created);
  return {
    id: i.Id,
    // The engine reports untagged images as "<none>:<none>".
    repoTags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
    repoDigests: (i.RepoDigests ?? []).filter((d) => d !== '<none>@<none>'),
    labels: { ...(i.Labels ?? i.Config?.Labels ?? {}) },
    createdAt: created ?? 0,
  };
}

/** Docker's zero time ("0001-01-01T00:00:00Z") and missing values read as undefined. */
export function parseTime(iso: string | undefined): number | undefined {
  if (!iso || iso.startsWith('0001-')) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** The parts of `GET /containers/{id}/json` berth reads. */
export interface DockerContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  RestartCount?: number;
  Config?: { Image?: string; Labels?: Labels | null };
  HostConfig?: DockerHostSettings & { NetworkMode?: string };
  Mounts?: DockerContainerSummary['Mounts'];
  State: {
    Status: string;
    ExitCode: number;
    Error?: string;
    OOMKilled?: boolean;
    Pid?: number;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: { Status: string; Log?: { Start: string; ExitCode: number; Output: string }[] | null };
  };
  NetworkSettings?: {
    Networks?: Record<string, unknown> | null;
    Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
  };
}

export function fromInspect(c: DockerContainerInspect): ContainerDetails {
  const startedAt = parseTime(c.State.StartedAt);
  const finishedAt = parseTime(c.State.FinishedAt);
  const health = c.State.Health?.Status;
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    labels: { ...(c.Config?.Labels ?? {}) },
    state: restartingOnPodman(c) ? 'restarting' : toState(c.State.Status),
    imageId: c.Image,
    imageRef: c.Config?.Image ?? '',
    createdAt: parseTime(c.Created) ?? 0,
    exitCode: c.State.ExitCode,
    health:
      health === 'starting' || health === 'healthy' || health === 'unhealthy' ? health : 'none',
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort(),
    networkIds: endpointNetworkIds(c.NetworkSettings?.Networks),
    ...joinedNetworkOf(c.HostConfig?.NetworkMode),
    ...bindSources(c.Mounts),
    ports: inspectPorts(c.NetworkSettings?.Ports ?? {}),
    restartCount: c.RestartCount ?? 0,
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(finishedAt !== undefined ? { finishedAt } : {}),
    ...(c.State.Error ? { error: c.State.Error } : {}),
    oomKilled: c.State.OOMKilled ?? false,
    healthLog: (c.State.Health?.Log ?? []).map((l) => ({
      start: l.Start,
      exitCode: l.ExitCode,
      output: l.Output,
    })),
    pid: c.State.Pid ?? 0,
    ...restartPolicyOf(c),
    settings: settingsOf(c.HostConfig ?? {}),
  };
}

/** The `HostConfig` fields `POST /containers/{id}/update` can change (and inspect reads). */
export interface DockerHostSettings {
  RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpusetCpus?: string;
  /** null (never set) or 0 (taken off by an update) when there is no limit. */
  PidsLimit?: number | null;
}

/**
 * The engine's settings in berth's words: 0, '' and null are "not set". A memory limit made
 * without swap has the swap the engine gave it (twice the limit, seen on 20.10).
 */
export function settingsOf(h: DockerHostSettings): ContainerSettings {
  const set = <T>(value: T | undefined | null, none: T): T | undefined =>
    value === undefined || value === null || value === none ? undefined : value;
  const pids = h.PidsLimit !== undefined && h.PidsLimit !== null && h.PidsLimit > 0;
  return {
    restartPolicy: RESTART_POLICIES.find((p) => p === (h.RestartPolicy?.Name || 'no')) ?? 'no',
    ...optional('restartMaxRetries', set(h.RestartPolicy?.MaximumRetryCount, 0)),
    ...optional('memoryBytes', set(h.Memory, 0)),
    ...optional('memorySwapBytes', set(h.MemorySwap, 0)),
    ...optional('memoryReservationBytes', set(h.MemoryReservation, 0)),
    ...optional('nanoCpus', set(h.NanoCpus, 0)),
    ...optional('cpuShares', set(h.CpuShares, 0)),
    ...optional('cpuset', set(h.CpusetCpus, '')),
    ...(pids ? { pidsLimit: h.PidsLimit as number } : {}),
  };
}

/** The update body: only the fields given; a memory limit without swap gets the default swap. */
export function toUpdateBody(u: ContainerSettingsUpdate): DockerHostSettings {
  const swap = u.memorySwapBytes ?? (u.memoryBytes !== undefined ? u.memoryBytes * 2 : undefined);
  return {
    ...(u.restartPolicy
      ? { RestartPolicy: { Name: u.restartPolicy, MaximumRetryCount: u.restartMaxRetries ?? 0 } }
      : {}),
    ...optional('Memory', u.memoryBytes),
    ...optional('MemorySwap', swap),
    ...optional('MemoryReservation', u.memoryReservationBytes),
    ...optional('NanoCpus', u.nanoCpus),
    ...optional('CpuShares', u.cpuShares),
    ...optional('CpusetCpus', u.cpuset),
    ...optional('PidsLimit', u.pidsLimit),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * Podman 4.3 never says `restarting` (F166): between two runs its restart policy makes, a
 * container is `stopped`, as it also is for a moment after any exit until Podman's cleanup
 * settles it to `exited`. A `stopped` container the engine has restarted before (RestartCount,
 * which Podman resets on every start berth makes) under a policy that restarts it after this
 * exit is being restarted. (Docker never says `stopped`.)
 */
function restartingOnPodman(c: DockerContainerInspect): boolean {
  if (c.State.Status !== 'stopped' || !((c.RestartCount ?? 0) > 0)) return false;
  const policy = c.HostConfig?.RestartPolicy?.Name;
  if (policy === 'always' || policy === 'unless-stopped') return true;
  return policy === 'on-failure' && c.State.ExitCode !== 0;
}

const RESTART_POLICIES = ['no', 'on-failure', 'unless-stopped', 'always'] as const;

/** The engine writes an empty name for `no` (`docker run` without --restart). */
function restartPolicyOf(c: DockerContainerInspect): Pick<ContainerDetails, 'restartPolicy'> {
  const name = c.HostConfig?.RestartPolicy?.Name;
  if (name === undefined) return {};
  const policy = RESTART_POLICIES.find((p) => p === (name || 'no'));
  return policy ? { restartPolicy: policy } : {};
}

function inspectPorts(
  ports: Record<string, { HostIp: string; HostPort: string }[] | null>,
): ObservedContainer['ports'] {
  return Object.entries(ports).flatMap(([key, bindings]) => {
    const [port = '0', protocol = 'tcp'] = key.split('/');
    const containerPort = Number(port);
    if (!bindings?.length) return [{ containerPort, protocol }];
    return bindings.map((b) => ({
      containerPort,
      hostPort: Number(b.HostPort),
      hostIP: b.HostIp,
      protocol,
    }));
  });
}

/** Splits `repo[:tag][@digest]` into what `POST /images/create` wants (tag or digest). */
export function splitRef(ref: string): { repo: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { repo: ref.slice(0, at).replace(/:[^:/]+$/, ''), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: 'latest' };
}
