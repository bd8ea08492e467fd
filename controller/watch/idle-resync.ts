import type { Observation } from '../observe.js';
import type { DesiredSnapshot } from './desired-store.js';

/**
 * What the last resync that found nothing to do saw: the desired snapshot (by identity: the
 * store hands out a new one on every read that changed), the engine's list answers and the
 * image ids history keeps. A periodic resync whose inputs read the same has nothing to plan
 * either (the plan is a pure function of them), so the controller skips planning: an idle watch costs one observe
 * and one string comparison per period (issue 11, watch idle CPU).
 */
export class IdleResync {
  private last: { desired: DesiredSnapshot; observed: string } | undefined;

  /**
   * True when planning `desired` against `observation`, keeping the images `kept` (image ids
   * history still uses: a shorter set may retire a built image), would again find nothing to do.
   */
  unchanged(
    desired: DesiredSnapshot,
    observation: Observation,
    kept?: ReadonlySet<string>,
  ): boolean {
    const last = this.last;
    return (
      last !== undefined && last.desired === desired && last.observed === text(observation, kept)
    );
  }

  /** Remembers a resync's inputs when its plan found nothing to do; forgets them otherwise. */
  remember(
    desired: DesiredSnapshot,
    observation: Observation,
    idle: boolean,
    kept?: ReadonlySet<string>,
  ): void {
    this.last = idle ? { desired, observed: text(observation, kept) } : undefined;
  }
}

/** The observation as one string: the lists in engine order, maps and sets as sorted entries. */
function text(o: Observation, kept: ReadonlySet<string> | undefined): string {
  return JSON.stringify([
    kept ? [...kept].sort() : null,
    o.observed,
    [...o.hostPaths].sort(([a], [b]) => a.localeCompare(b)),
    o.unowned,
    [...o.externals].sort(),
  ]);
}
