import { createHash } from 'node:crypto';
import type {
  ContainerCreateRequest,
  EngineEvent,
  Labels,
  EventOptions,
  ObservedContainer,
} from '../engine.js';
import { EngineError } from '../engine.js';
// The in-memory engine speaks Docker's event vocabulary, so it shares Docker's mapping.
import { changeOf } from '../docker/docker-events.js';
import { eventInProject } from '../event-scope.js';

/** The state behind MemoryEngine: plain records, lookups as the engine does them, events. */

export interface MemContainer extends Pick<
  ObservedContainer,
  'id' | 'name' | 'labels' | 'state' | 'imageId' | 'imageRef' | 'createdAt' | 'health'
> {
  exitCode: number;
  /** Network name → aliases. */
  networks: Map<string, string[]>;
  request: ContainerCreateRequest;
  restartCount: number;
  startedAt?: number;
  finishedAt?: number;
  pid: number;
  /** `networkMode: container:NAME`: the id NAME had at create (the engine resolves it then). */
  joinedNetworkOf?: string;
  /** Host ports taken while running (the engine takes them at start, not create). */
  boundPorts: { containerPort: number; hostPort: number; hostIP: string; protocol: string }[];
  /** Lines the container wrote (MemoryEngine.writeLog), oldest first. */
  logLines?: string[];
}

export interface MemNetwork {
  id: string;
  name: string;
  labels: Labels;
  driver: string;
  createdAt: number;
}

export interface MemVolume {
  name: string;
  labels: Labels;
  driver: string;
  mountpoint: string;
  createdAt: number;
}

export interface MemImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  labels: Labels;
  createdAt: number;
}

interface Subscriber {
  options: EventOptions;
  onEvent: (event: EngineEvent) => void;
}

/** Events kept for `since` replays; old ones fall off like the engine's own ring buffer. */
const HISTORY_LIMIT = 2000;

export class MemoryWorld {
  readonly containers = new Map<string, MemContainer>();
  readonly networks = new Map<string, MemNetwork>();
  readonly volumes = new Map<string, MemVolume>();
  readonly images = new Map<string, MemImage>();
  readonly history: EngineEvent[] = [];
  readonly subscribers = new Set<Subscriber>();
  dropEvents = false;
  private counter = 0;
  private nextPort = 32768;
  private nextPid = 100;

  constructor(readonly now: () => number) {
    // The engine's built-in networks exist from the start and carry no labels.
    for (const name of ['bridge', 'host', 'none']) {
      const id = this.newId(`network:${name}`);
      this.networks.set(id, {
        id,
        name,
        labels: {},
        driver: name === 'bridge' ? 'bridge' : name,
        createdAt: 0,
      });
    }
  }

  /** A 64-hex id, unique in this world and stable across runs with the same call order. */
  newId(seed: string): string {
    this.counter += 1;
    return createHash('sha256').update(`${seed}#${this.counter}`).digest('hex');
  }

  ephemeralPort(): number {
    return this.nextPort++;
  }

  pid(): number {
    return this.nextPid++;
  }

  /** By id, unique id prefix (as the engine allows) or name. */
  findContainer(ref: string): MemContainer | undefined {
    const byId = this.containers.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^\//, '');
    for (const c of this.containers.values()) if (c.name === name) return c;
    return uniquePrefix([...this.containers.values()], ref);
  }

  mustFindContainer(ref: string, operation: string): MemContainer {
    const c = this.findContainer(ref);
    if (!c) throw notFound(operation, ref, `No such container: ${ref}`);
    return c;
  }

  findNetwork(ref: string): MemNetwork | undefined {
    const byId = this.networks.get(ref);
    if (byId) return byId;
    for (const n of this.networks.values()) if (n.name === ref) return n;
    return uniquePrefix([...this.networks.values()], ref);
  }

  /** By `sha256:…` id, short id, or repo:tag (a bare repo means `:latest`). */
  findImage(ref: string): MemImage | undefined {
    const id = ref.startsWith('sha256:') ? ref : `sha256:${ref}`;
    const byId = this.images.get(id);
    if (byId) return byId;
    const tag = normaliseTag(ref);
    for (const i of this.images.values()) {
      if (i.repoTags.includes(tag) || i.repoDigests.includes(ref)) return i;
    }
    if (/^[0-9a-f]{6,64}$/.test(ref))
      return uniquePrefix([...this.images.values()], `sha256:${ref}`);
    return undefined;
  }

  emit(event: Omit<EngineEvent, 'time'>): void {
    if (this.dropEvents) return;
    const change = event.change ?? changeOf(event.type, event.action);
    const full: EngineEvent = { ...event, ...(change ? { change } : {}), time: this.now() };
    this.history.push(full);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    for (const s of this.subscribers) {
      if (s.options.until === undefined && eventInProject(full, s.options)) s.onEvent(full);
    }
  }

  containerEvent(c: MemContainer, action: string, attributes: Record<string, string> = {}): void {
    this.emit({
      type: 'container',
      action,
      id: c.id,
      name: c.name,
      labels: { ...c.labels },
      attributes: { ...c.labels, name: c.name, image: c.imageRef, ...attributes },
    });
  }
}

/** `name` → `name:latest`, as the engine reads a reference without tag or digest. */
export function normaliseTag(ref: string): string {
  if (ref.includes('@')) return ref;
  return ref.lastIndexOf(':') > ref.lastIndexOf('/') ? ref : `${ref}:latest`;
}

function uniquePrefix<T extends { id: string }>(items: T[], prefix: string): T | undefined {
  if (prefix.length < 4) return undefined;
  const hits = items.filter((i) => i.id.startsWith(prefix));
  return hits.length === 1 ? hits[0] : undefined;
}

export function notFound(operation: string, target: string, message: string): EngineError {
  return new EngineError('E_NOT_FOUND', `${operation} ${target}: ${message}`, {
    operation,
    target,
    status: 404,
  });
}

export function conflict(operation: string, target: string, message: string): EngineError {
  return new EngineError('E_CONFLICT', `${operation} ${target}: ${message}`, {
    operation,
    target,
    status: 409,
  });
}

export function engineFailure(operation: string, target: string, message: string): EngineError {
  return new EngineError('E_ENGINE', `${operation} ${target}: ${message}`, {
    operation,
    target,
    status: 500,
  });
}
