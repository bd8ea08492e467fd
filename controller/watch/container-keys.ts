import type { ObjectKey } from '../../specs/model.js';
import type { Labels } from '../engine/engine.js';
import { LABEL } from '../labels.js';

/**
 * Engine id → key of the project's containers, learnt from resyncs and container events
 * (from their labels): a network disconnect names its container by id only, and this lets
 * the controller queue that container alone instead of resyncing the project.
 */
export class ContainerKeys {
  private readonly keys = new Map<string, ObjectKey>();

  constructor(private readonly project: string) {}

  /** Remembers the key of each of the project's containers; others are ignored. */
  remember(containers: readonly { id: string; labels: Labels }[]): void {
    for (const c of containers) {
      const name = c.labels[LABEL.name];
      if (c.labels[LABEL.project] === this.project && name)
        this.keys.set(c.id, `${c.labels[LABEL.kind] ?? 'Container'}/${name}` as ObjectKey);
    }
  }

  /** Forgets a removed container. */
  forget(id: string): void {
    this.keys.delete(id);
  }

  /** The key of the container with engine id `id`, if it is one of the project's. */
  keyOf(id: string | undefined): ObjectKey | undefined {
    return id === undefined ? undefined : this.keys.get(id);
  }
}
