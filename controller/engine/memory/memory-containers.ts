import type {
  ContainerCreateRequest,
  ContainerDetails,
  ContainerSettings,
  ContainerSettingsUpdate,
  EngineContainerState,
  MutationResult,
  ObservedContainer,
} from '../engine.js';
import { EngineError } from '../engine.js';
import type { MemContainer, MemoryWorld } from './memory-world.js';
import { conflict, engineFailure, notFound } from './memory-world.js';

/**
 * Container operations of MemoryEngine, with the Docker engine's answers: 304-like
 * `changed: false`, 409 conflicts, 404s, ports taken at start, restart policies on crash.
 */

const LIVE: ReadonlySet<EngineContainerState> = new Set(['running', 'paused', 'restarting']);

export function createContainer(world: MemoryWorld, req: ContainerCreateRequest): { id: string } {
  const holder = world.findContainer(req.name);
  if (holder?.name === req.name) {
    const e = conflict(
      'create container',
      req.name,
      `Conflict. The container name "/${req.name}" is already in use`,
    );
    throw new EngineError(e.code, e.message, { ...e.detail!, holder: toDetails(holder) });
  }
  const image = world.findImage(req.image);
  if (!image) throw notFound('create container', req.name, `No such image: ${req.image}`);
  for (const n of req.networks) {
    if (!world.findNetwork(n.name))
      throw notFound('create container', req.name, `network ${n.name} not found`);
  }
  // Like the engine, a named volume that does not exist yet is created (without labels).
  for (const m of req.mounts) {
    if (m.type === 'volume' && !world.volumes.has(m.source)) {
      world.volumes.set(m.source, {
        name: m.source,
        labels: {},
        driver: 'local',
        mountpoint: `/var/lib/docker/volumes/${m.source}/_data`,
        createdAt: world.now(),
      });
    }
  }
  const id = world.newId(`container:${req.name}`);
  const networks = new Map<string, string[]>(req.networks.map((n) => [n.name, [...n.aliases]]));
  if (networks.size === 0) networks.set('bridge', []);
  const c: MemContainer = {
    id,
    name: req.name,
    labels: { ...req.labels },
    state: 'created',
    imageId: image.id,
    imageRef: req.image,
    createdAt: world.now(),
    exitCode: 0,
    health: 'none',
    networks,
    request: structuredClone(req),
    restartCount: 0,
    pid: 0,
    boundPorts: [],
    ...joinedAtCreate(world, req.networkMode),
  };
  world.containers.set(id, c);
  world.containerEvent(c, 'create');
  return { id };
}

export function startContainer(world: MemoryWorld, ref: string): MutationResult {
  const c = world.mustFindContainer(ref, 'start');
  if (c.state === 'running' || c.state === 'restarting') return { changed: false };
  if (c.state === 'paused')
    throw conflict('start', ref, 'cannot start a paused container, try unpause instead');
  if (c.state === 'dead' || c.state === 'removing') {
    throw conflict('start', ref, 'container is marked for removal and cannot be started');
  }
  for (const name of c.networks.keys()) {
    if (!world.findNetwork(name)) throw notFound('start', ref, `network ${name} not found`);
  }
  bindPorts(world, c);
  run(world, c);
  return { changed: true };
}

/** Takes the container's host ports, failing as the engine does when one is taken. */
function bindPorts(world: MemoryWorld, c: MemContainer): void {
  const taken = new Set<string>();
  for (const other of world.containers.values()) {
    if (other !== c && LIVE.has(other.state))
      for (const p of other.boundPorts) taken.add(portKey(p));
  }
  const isTaken = (p: { hostIP: string; hostPort: number; protocol: string }) =>
    taken.has(portKey(p)) || taken.has(portKey({ ...p, hostIP: '' }));
  const bound = c.request.ports.map((p) => {
    const binding = {
      containerPort: p.containerPort,
      hostPort: 0,
      hostIP: p.hostIP,
      protocol: p.protocol,
    };
    // A range: the first free port of it, as the engine's port allocator picks one.
    for (let port = p.hostPort ?? 0; p.hostPortEnd !== undefined && port <= p.hostPortEnd; port++)
      if (!isTaken({ ...binding, hostPort: port })) return { ...binding, hostPort: port };
    return { ...binding, hostPort: p.hostPort ?? world.ephemeralPort() };
  });
  for (const p of bound) {
    if (isTaken(p)) {
      throw engineFailure(
        'start',
        c.name,
        `Bind for ${p.hostIP || '0.0.0.0'}:${p.hostPort} failed: port is already allocated`,
      );
    }
  }
  c.boundPorts = bound;
}

function portKey(p: { hostIP: string; hostPort: number; protocol: string }): string {
  return `${p.hostIP}:${p.hostPort}/${p.protocol}`;
}

function run(world: MemoryWorld, c: MemContainer): void {
  c.state = 'running';
  c.exitCode = 0;
  c.startedAt = world.now();
  c.pid = world.pid();
  c.health = c.request.healthcheck ? 'starting' : 'none';
  world.containerEvent(c, 'start');
}

/** The process ends: exited with `exitCode`; ports freed; an auto-removed container goes. */
export function die(world: MemoryWorld, c: MemContainer, exitCode: number): void {
  c.state = 'exited';
  c.exitCode = exitCode;
  c.finishedAt = world.now();
  c.pid = 0;
  c.boundPorts = [];
  // The list's status text of an exited container carries no health.
  c.health = 'none';
  world.containerEvent(c, 'die', { exitCode: String(exitCode) });
  // The engine removes an auto-removed container right after it exits, as Docker does.
  if (c.request.autoRemove) queueMicrotask(() => removeContainer(world, c.id));
}

/** A stopped process honours SIGTERM and exits 0, as berth's test containers do. */
export function stopContainer(world: MemoryWorld, ref: string): MutationResult {
  const c = world.findContainer(ref);
  if (!c || !LIVE.has(c.state)) return { changed: false };
  world.containerEvent(c, 'kill', { signal: '15' });
  die(world, c, 0);
  world.containerEvent(c, 'stop');
  return { changed: true };
}

const SIGNALS: Record<string, number> = {
  SIGKILL: 9,
  KILL: 9,
  SIGTERM: 15,
  TERM: 15,
  SIGINT: 2,
  INT: 2,
  SIGHUP: 1,
  HUP: 1,
};

export function killContainer(world: MemoryWorld, ref: string, signal: string): MutationResult {
  const c = world.findContainer(ref);
  if (!c || !LIVE.has(c.state)) return { changed: false };
  const number = SIGNALS[signal.toUpperCase()] ?? 9;
  world.containerEvent(c, 'kill', { signal: String(number) });
  die(world, c, 128 + number);
  return { changed: true };
}

export function pauseContainer(world: MemoryWorld, ref: string): MutationResult {
  const c = world.mustFindContainer(ref, 'pause');
  if (c.state === 'paused') return { changed: false };
  if (c.state !== 'running') throw conflict('pause', ref, `Container ${c.id} is not running`);
  c.state = 'paused';
  world.containerEvent(c, 'pause');
  return { changed: true };
}

export function unpauseContainer(world: MemoryWorld, ref: string): MutationResult {
  const c = world.mustFindContainer(ref, 'unpause');
  if (c.state !== 'paused') return { changed: false };
  c.state = 'running';
  world.containerEvent(c, 'unpause');
  return { changed: true };
}

/** Force removal: a live container is killed first. Volumes stay. */
export function removeContainer(world: MemoryWorld, ref: string): MutationResult {
  const c = world.findContainer(ref);
  if (!c) return { changed: false };
  if (LIVE.has(c.state)) {
    world.containerEvent(c, 'kill', { signal: '9' });
    die(world, c, 137);
  }
  for (const network of c.networks.keys()) networkEvent(world, network, 'disconnect', c.id);
  world.containers.delete(c.id);
  world.containerEvent(c, 'destroy');
  return { changed: true };
}

/**
 * Sets settings in place as Docker does: 0 leaves a limit as it is, but for `pidsLimit` (no
 * limit); a memory limit without swap gets twice the limit as swap. Sends `update`.
 */
export function updateContainer(
  world: MemoryWorld,
  ref: string,
  u: ContainerSettingsUpdate,
): MutationResult {
  const c = world.mustFindContainer(ref, 'update');
  const r = c.request;
  if (u.restartPolicy) {
    r.restartPolicy = u.restartPolicy;
    r.restartMaxRetries = u.restartMaxRetries;
  }
  if (u.memoryBytes) {
    r.memoryBytes = u.memoryBytes;
    r.memorySwapBytes = u.memorySwapBytes ?? u.memoryBytes * 2;
  } else if (u.memorySwapBytes) r.memorySwapBytes = u.memorySwapBytes;
  if (u.memoryReservationBytes) r.memoryReservationBytes = u.memoryReservationBytes;
  if (u.nanoCpus) r.nanoCpus = u.nanoCpus;
  if (u.cpuShares) r.cpuShares = u.cpuShares;
  if (u.cpuset) r.cpuset = u.cpuset;
  if (u.pidsLimit !== undefined) r.pidsLimit = u.pidsLimit > 0 ? u.pidsLimit : undefined;
  world.containerEvent(c, 'update');
  return { changed: true };
}

/** The settings as inspect reports them (a memory limit made without swap: twice as swap). */
function settingsOf(r: ContainerCreateRequest): ContainerSettings {
  const swap = r.memorySwapBytes ?? (r.memoryBytes ? r.memoryBytes * 2 : undefined);
  const fields = {
    memoryBytes: r.memoryBytes,
    memorySwapBytes: swap,
    memoryReservationBytes: r.memoryReservationBytes,
    nanoCpus: r.nanoCpus,
    cpuShares: r.cpuShares,
    cpuset: r.cpuset,
    pidsLimit: r.pidsLimit,
  };
  const set = Object.entries(fields).filter(([, v]) => v !== undefined && v !== 0 && v !== '');
  const retries = r.restartMaxRetries;
  return {
    restartPolicy: r.restartPolicy,
    ...(retries !== undefined && retries > 0 && { restartMaxRetries: retries }),
    ...Object.fromEntries(set),
  };
}

export function renameContainer(world: MemoryWorld, ref: string, name: string): MutationResult {
  const c = world.mustFindContainer(ref, 'rename');
  if (c.name === name) return { changed: false };
  if (world.findContainer(name)?.name === name)
    throw conflict('rename', ref, `name "${name}" is already in use`);
  const oldName = c.name;
  c.name = name;
  world.containerEvent(c, 'rename', { oldName: `/${oldName}` });
  return { changed: true };
}

/**
 * The process dies by itself. The restart policy then acts as the engine's does: `always` and
 * `unless-stopped` restart it, `on-failure` restarts a non-zero exit (while its RestartCount
 * is below a retry limit, when it has one); stops through the API never come here, so they
 * are never restarted.
 */
export function crashContainer(world: MemoryWorld, ref: string, exitCode: number): void {
  const c = world.mustFindContainer(ref, 'crash');
  if (!LIVE.has(c.state)) throw conflict('crash', ref, `container is ${c.state}, not running`);
  die(world, c, exitCode);
  const policy = c.request.restartPolicy;
  if (
    policy === 'always' ||
    policy === 'unless-stopped' ||
    (policy === 'on-failure' && exitCode !== 0 && retriesLeft(c))
  ) {
    c.restartCount += 1;
    bindPorts(world, c);
    run(world, c);
  }
}

/** An `on-failure` policy's retry limit (MaximumRetryCount; 0 or none: no limit) not yet reached. */
function retriesLeft(c: { request: ContainerCreateRequest; restartCount: number }): boolean {
  const limit = c.request.restartMaxRetries ?? 0;
  return limit === 0 || c.restartCount < limit;
}

export function networkEvent(
  world: MemoryWorld,
  network: string,
  action: string,
  container?: string,
): void {
  const n = world.findNetwork(network);
  if (!n) return;
  world.emit({
    type: 'network',
    action,
    id: n.id,
    name: n.name,
    labels: {},
    attributes: { name: n.name, type: n.driver, ...(container ? { container } : {}) },
  });
}

/** As the engine: `container:NAME` is resolved to NAME's id when the container is created. */
function joinedAtCreate(
  world: MemoryWorld,
  mode: string | undefined,
): { joinedNetworkOf?: string } {
  if (!mode?.startsWith('container:')) return {};
  const ref = mode.slice('container:'.length);
  const target = [...world.containers.values()].find((c) => c.id === ref || c.name === ref);
  return target ? { joinedNetworkOf: target.id } : {};
}

/** As the engine's list: the host paths of the bind mounts, sorted, when there are any. */
function bindSources(c: MemContainer): Pick<ObservedContainer, 'mountSources'> {
  const sources = c.request.mounts.flatMap((m) => (m.type === 'bind' ? [m.source] : []));
  return sources.length ? { mountSources: sources.sort() } : {};
}

export function toObserved(c: MemContainer): ObservedContainer {
  const live = LIVE.has(c.state);
  return {
    id: c.id,
    name: c.name,
    labels: { ...c.labels },
    state: c.state,
    imageId: c.imageId,
    imageRef: c.imageRef,
    createdAt: c.createdAt,
    // The engine's list shows an exit code only in "Exited (N) …".
    ...(c.state === 'exited' ? { exitCode: c.exitCode } : {}),
    // As the engine's list: a start time while up, a stop time once stopped.
    ...((c.state === 'running' || c.state === 'paused') && c.startedAt !== undefined
      ? { startedAt: c.startedAt }
      : {}),
    ...(c.state === 'exited' && c.finishedAt !== undefined ? { finishedAt: c.finishedAt } : {}),
    health: c.health,
    networks: [...c.networks.keys()].sort(),
    ...(c.joinedNetworkOf ? { joinedNetworkOf: c.joinedNetworkOf } : {}),
    ...bindSources(c),
    ports: live
      ? c.boundPorts.map((p) => ({ ...p }))
      : c.request.ports.map((p) => ({ containerPort: p.containerPort, protocol: p.protocol })),
  };
}

export function toDetails(c: MemContainer): ContainerDetails {
  return {
    ...toObserved(c),
    restartCount: c.restartCount,
    exitCode: c.exitCode,
    ...(c.startedAt !== undefined ? { startedAt: c.startedAt } : {}),
    ...(c.finishedAt !== undefined ? { finishedAt: c.finishedAt } : {}),
    oomKilled: false,
    healthLog: [],
    pid: c.pid,
    restartPolicy: c.request.restartPolicy,
    settings: settingsOf(c.request),
  };
}
