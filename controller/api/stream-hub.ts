import { applyMessage, emptySnapshot } from '../web/view-state.js';
import type { StreamMessage, ViewSnapshot } from '../web/view-types.js';

/** One message with its stream id. */
export interface NumberedMessage {
  id: number;
  message: StreamMessage;
}

export interface StreamHubOptions {
  /** Messages kept for `Last-Event-ID` replay; an older id gets a fresh snapshot. */
  bufferSize?: number;
  /** At most one message per coalescing key this often (ms): 100 = 10 updates/s per object. */
  minIntervalMs?: number;
  now?: () => number;
}

type Subscriber = (numbered: NumberedMessage) => void;

/** How long a new subscriber's snapshot waits at most for the view to be freshened, ms. */
const FRESHEN_WAIT_MS = 2_000;

/** Resolves when every promise settled, or after `ms`, whichever comes first. */
function freshUntil(promises: Promise<void>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([Promise.allSettled(promises).then(() => undefined), late]).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * The web view's state and its change log (issue 16). Every published message gets the next
 * id (monotonic, across restarts of the controller too), is applied to the current view and kept in a ring buffer. Bursts
 * are coalesced per key on the server: a key publishes at most once per `minIntervalMs`; a
 * message that comes sooner replaces the one waiting and goes out when the interval ends, so
 * the last state always arrives.
 */
export class StreamHub {
  private view: ViewSnapshot = emptySnapshot();
  private seq: number;
  private readonly ring: NumberedMessage[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private readonly subscribeListeners: (() => Promise<void> | undefined)[] = [];
  /** Subscribers waiting for a fresh view before their snapshot. */
  private pending = 0;
  private closed = false;
  private readonly lastSent = new Map<string, number>();
  private readonly waiting = new Map<string, { message: StreamMessage; timer: NodeJS.Timeout }>();
  private readonly bufferSize: number;
  private readonly minIntervalMs: number;
  private readonly now: () => number;

  constructor(options: StreamHubOptions = {}) {
    this.bufferSize = options.bufferSize ?? 2_000;
    this.minIntervalMs = options.minIntervalMs ?? 100;
    this.now = options.now ?? Date.now;
    // Ids start at the start time in µs: a restarted controller's ids are above every id of
    // the run before, so a page's old Last-Event-ID can never be taken for a new one.
    this.seq = this.now() * 1000;
  }

  /** The current view and the id it is at. */
  current(): { id: number; snapshot: ViewSnapshot } {
    return { id: this.seq, snapshot: this.view };
  }

  /**
   * Publishes a change. With `coalesceKey` (e.g. `row:Container/web`) it is rate-limited per
   * key; without, it goes out at once.
   */
  publish(message: StreamMessage, coalesceKey?: string): void {
    if (coalesceKey === undefined) return this.emit(message);
    const pending = this.waiting.get(coalesceKey);
    if (pending) {
      pending.message = message;
      return;
    }
    const wait = (this.lastSent.get(coalesceKey) ?? -Infinity) + this.minIntervalMs - this.now();
    if (wait <= 0) {
      this.lastSent.set(coalesceKey, this.now());
      return this.emit(message);
    }
    const timer = setTimeout(() => {
      const entry = this.waiting.get(coalesceKey);
      this.waiting.delete(coalesceKey);
      this.lastSent.set(coalesceKey, this.now());
      if (entry) this.emit(entry.message);
    }, wait);
    timer.unref();
    this.waiting.set(coalesceKey, { message, timer });
  }

  /**
   * Starts a subscriber. With a `lastEventId` still in the buffer it gets the messages after
   * it; otherwise (none given, too old, or from another run of the controller) a snapshot
   * at the current id — taken once the listeners' freshening is done (see onSubscribe), at
   * most FRESHEN_WAIT_MS later, so it is never an old view (F161). Returns the unsubscribe
   * function.
   */
  subscribe(send: Subscriber, lastEventId?: number): () => void {
    let active = true;
    const replay = lastEventId === undefined ? undefined : this.since(lastEventId);
    // Counted as subscribed already: what changes while the view is freshened is followed.
    this.pending += 1;
    const freshening = this.subscribeListeners.flatMap((listener) => listener() ?? []);
    const begin = (freshened: boolean) => {
      this.pending -= 1;
      if (!active || this.closed) return;
      // What the freshening published may still wait out its rate limit: it goes out now.
      if (freshened) this.flushWaiting();
      if (replay) for (const m of replay) send(m);
      else send({ id: this.seq, message: { type: 'snapshot', snapshot: this.view } });
      this.subscribers.add(send);
    };
    if (replay || freshening.length === 0) begin(false);
    else void freshUntil(freshening, FRESHEN_WAIT_MS).then(() => begin(true));
    return () => {
      active = false;
      this.subscribers.delete(send);
    };
  }

  /** Whether any page is subscribed now (or is about to get its first messages). */
  hasSubscribers(): boolean {
    return this.subscribers.size > 0 || this.pending > 0;
  }

  /**
   * Calls `listener` for each new subscriber, before its first messages. A promise it returns
   * means the view is being brought up to date (the LiveView: it changed while no page
   * watched): a snapshot waits for it; a replay does not (the changes follow it).
   */
  onSubscribe(listener: () => Promise<void> | undefined): void {
    this.subscribeListeners.push(listener);
  }

  /** Drops waiting coalesced messages (the controller is stopping). */
  close(): void {
    for (const entry of this.waiting.values()) clearTimeout(entry.timer);
    this.waiting.clear();
    this.subscribers.clear();
    this.closed = true;
  }

  /** Sends every coalesced message waiting for its interval now. */
  private flushWaiting(): void {
    for (const [key, entry] of [...this.waiting]) {
      clearTimeout(entry.timer);
      this.waiting.delete(key);
      this.lastSent.set(key, this.now());
      this.emit(entry.message);
    }
  }

  /** Messages after `id`, or undefined when the buffer no longer reaches back that far. */
  private since(id: number): NumberedMessage[] | undefined {
    if (!Number.isInteger(id) || id > this.seq || id < 0) return undefined;
    const oldest = this.ring[0]?.id ?? this.seq + 1;
    if (id < oldest - 1) return undefined;
    return this.ring.filter((m) => m.id > id);
  }

  private emit(message: StreamMessage): void {
    this.seq += 1;
    this.view = applyMessage(this.view, message);
    const numbered = { id: this.seq, message };
    this.ring.push(numbered);
    if (this.ring.length > this.bufferSize) this.ring.shift();
    for (const send of this.subscribers) {
      try {
        send(numbered);
      } catch {
        this.subscribers.delete(send);
      }
    }
  }
}
