import type { ObjectKey } from '../../specs/model.js';
import type { EngineEvent, Labels } from '../engine/engine.js';
import { ownedKey } from '../container-names.js';

/**
 * Engine id → key of the project's containers, learnt from resyncs and container events
 * (from their labels): a network disconnect names its container by id only, and this lets
 * the controller queue that container alone instead of resyncing the project. Also which of
 * them exited and have not started since: Docker disconnects a container from its networks
 * just after its `die` (~0.2 s later, before the next `connect`/`start`; ENGINE-NOTES.md), and
 * that disconnect is part of the exit the `die` already queued.
 */
export class ContainerKeys {
  private readonly keys = new Map<string, ObjectKey>();
  private readonly exited = new Set<string>();

  constructor(private readonly project: string) {}

  /** Remembers the key of each of the project's containers; others are ignored. */
  remember(containers: readonly { id: string; name?: string; labels: Labels }[]): void {
    for (const c of containers) {
      const key = ownedKey(c, this.project);
      if (key) this.keys.set(c.id, key as ObjectKey);
    }
  }

  /** Takes in one container event: a removal forgets the id, an exit or a start is noted. */
  noteEvent(event: EngineEvent): void {
    if (event.type !== 'container') return;
    if (event.change === 'removed') {
      this.keys.delete(event.id);
      this.exited.delete(event.id);
      return;
    }
    this.remember([event]);
    if (event.change === 'exited') this.exited.add(event.id);
    else if (event.action === 'start' || event.action === 'restart') this.exited.delete(event.id);
  }

  /** The key of the container with engine id `id`, if it is one of the project's. */
  keyOf(id: string | undefined): ObjectKey | undefined {
    return id === undefined ? undefined : this.keys.get(id);
  }

  /** The container exited (an event said so) and has not started since. */
  isExited(id: string): boolean {
    return this.exited.has(id);
  }
}
