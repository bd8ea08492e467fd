import type { DockerRawEvent } from './docker-events.js';

/** One network as the list gives it (the fields the feed reads). */
interface ListedNetwork {
  Id: string;
  Name: string;
  Driver?: string;
}

/** How often the network list is read while someone listens: removal heals within this. */
export const NETWORK_POLL_MS = 1000;

/**
 * Network `create`/`destroy` events for an engine that sends none (Podman 4.3,
 * ENGINE-NOTES.md "Podman"), in the raw shape Docker sends them, so docker-events.ts reads
 * both alike. Changes berth makes itself are delivered at once (`noted`); changes made by
 * anyone else show up when the network list is next read, every `intervalMs` while at
 * least one subscriber listens (one list call per interval, none without subscribers).
 */
export class NetworkEventFeed {
  private known: Map<string, ListedNetwork> | undefined;
  private readonly subscribers = new Set<(raw: DockerRawEvent) => void>();
  private timer: NodeJS.Timeout | undefined;
  /** A read loop runs (a read under way or the next one scheduled). */
  private running = false;
  /** Bumped by every `noted` change: a list read that overlapped one is stale. */
  private generation = 0;

  constructor(
    private readonly list: () => Promise<ListedNetwork[]>,
    private readonly intervalMs = NETWORK_POLL_MS,
  ) {}

  /** Delivers raw network events to `deliver` until the returned function is called. */
  subscribe(deliver: (raw: DockerRawEvent) => void): () => void {
    this.subscribers.add(deliver);
    if (!this.running) {
      this.running = true;
      void this.poll();
    }
    return () => {
      this.subscribers.delete(deliver);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  /** A network berth itself created or removed: delivered now, not at the next read. */
  noted(action: 'create' | 'destroy', network: ListedNetwork): void {
    this.generation++;
    if (action === 'create') this.known?.set(network.Id, network);
    else this.known?.delete(network.Id);
    this.emit(action, network);
  }

  private stop(): void {
    this.known = undefined;
    if (this.timer === undefined) return; // a read is under way: the loop ends after it
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = false;
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    const generation = this.generation;
    const listed = await this.list().catch(() => undefined);
    if (this.subscribers.size === 0) {
      this.running = false;
      return;
    }
    if (listed && generation === this.generation) this.compare(listed);
    this.timer = setTimeout(() => void this.poll(), this.intervalMs);
    this.timer.unref?.();
  }

  /** The first read is the baseline; later ones deliver what appeared and what went. */
  private compare(listed: ListedNetwork[]): void {
    const now = new Map(listed.map((n) => [n.Id, n]));
    const before = this.known;
    this.known = now;
    if (!before) return;
    for (const [id, network] of now) if (!before.has(id)) this.emit('create', network);
    for (const [id, network] of before) if (!now.has(id)) this.emit('destroy', network);
  }

  private emit(action: 'create' | 'destroy', network: ListedNetwork): void {
    const raw: DockerRawEvent = {
      Type: 'network',
      Action: action,
      Actor: { ID: network.Id, Attributes: { name: network.Name, type: network.Driver ?? '' } },
      timeNano: Date.now() * 1e6,
    };
    for (const deliver of this.subscribers) deliver(raw);
  }
}
