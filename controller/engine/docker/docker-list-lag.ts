import type { ContainerDetails, EngineChange, EngineEvent, ObservedContainer } from '../engine.js';

/**
 * The changes whose event may arrive before the list shows them. `started` too: a dependant
 * woken by its dependency's `start` must not plan from a list that still shows it exited.
 */
const LAGGING = new Set<EngineChange>(['started', 'exited', 'paused', 'unpaused']);

/**
 * Docker's container list lags behind its event stream: the daemon sends `die` (and `pause`,
 * `unpause`) while it still holds the container's lock, and updates the list's view only
 * after cleaning up (network, mounts) — the list shows `running` for ~70 ms after a `die`.
 * Inspect takes the container's lock, so it waits for the update and is current.
 *
 * This remembers the containers a state-changing event was delivered for; the next observe
 * reads each of them with inspect (only those, only once), so that a controller woken by an
 * event never plans from a list that does not show that event yet. Entries older than
 * `FORGET_AFTER_MS` are dropped unread: every later list is current for them.
 */
export class ListLag {
  /** Container id → when its last state-changing event was delivered (Unix ms). */
  private readonly changed = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Called for every event delivered to a subscriber, before the subscriber sees it. */
  note(event: EngineEvent): void {
    if (event.type !== 'container') return;
    if (event.change && LAGGING.has(event.change)) this.changed.set(event.id, this.now());
  }

  /**
   * The list's containers with those noted before `listedAt` (when the list call began)
   * replaced by a fresh inspect; a container gone meanwhile keeps its listed entry (the
   * next observe drops it). Entries noted during the list stay for the next observe.
   */
  async settle(
    containers: ObservedContainer[],
    listedAt: number,
    inspect: (id: string) => Promise<ContainerDetails | undefined>,
  ): Promise<ObservedContainer[]> {
    this.forgetOld();
    if (this.changed.size === 0) return containers;
    return Promise.all(
      containers.map(async (c) => {
        const at = this.changed.get(c.id);
        if (at === undefined || at > listedAt) return c;
        this.changed.delete(c.id);
        const fresh = await inspect(c.id).catch(() => undefined);
        return fresh ? current(c, fresh) : c;
      }),
    );
  }

  private forgetOld(): void {
    const limit = this.now() - FORGET_AFTER_MS;
    for (const [id, at] of this.changed) if (at < limit) this.changed.delete(id);
  }
}

/** Long past any lag seen (tens of ms); bounds the map when nobody observes. */
const FORGET_AFTER_MS = 5_000;

/** The listed container with its state, exit code and health as inspect has them now. */
function current(listed: ObservedContainer, fresh: ContainerDetails): ObservedContainer {
  const stopped = fresh.state === 'exited' || fresh.state === 'dead';
  const { exitCode: _code, startedAt: _started, finishedAt: _finished, ...rest } = listed;
  return {
    ...rest,
    state: fresh.state,
    health: fresh.health,
    ...(stopped ? { exitCode: fresh.exitCode } : {}),
    // As the list gives them: a start time while up, a stop time once stopped.
    ...(!stopped && fresh.startedAt !== undefined ? { startedAt: fresh.startedAt } : {}),
    ...(stopped && fresh.finishedAt !== undefined ? { finishedAt: fresh.finishedAt } : {}),
  };
}
