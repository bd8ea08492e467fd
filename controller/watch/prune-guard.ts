import type { ObjectKey } from '../../specs/model.js';
import type { Logger } from '../logger.js';
import type { ObservedState } from '../engine/engine.js';
import { otherSourceDeletions, spareOtherSources } from '../plan/plan-other-sources.js';
import type { Plan } from '../plan/plan-types.js';

/**
 * `berth watch` always prunes, but never what another folder of the project applied (its
 * `berth.source` lies outside the watched folder; issue 19 item 10), unless `--force`, the
 * same rule `apply --prune` keeps. Each spared object is logged once per run.
 */
export class PruneGuard {
  private readonly warned = new Set<ObjectKey>();

  constructor(
    private readonly options: { project: string; folder: string; force: boolean; logger: Logger },
  ) {}

  /** `full` without deletions of other folders' objects (unless --force). */
  apply(full: Plan, observed: ObservedState): Plan {
    if (this.options.force) return full;
    const { project, folder, logger } = this.options;
    const found = otherSourceDeletions(full, observed, [folder]);
    for (const f of found) {
      if (this.warned.has(f.key)) continue;
      this.warned.add(f.key);
      logger.warn(
        { key: f.key, source: f.folder },
        `not pruning ${f.key}: applied from ${f.folder}, another folder of project ${project} (berth watch --force deletes it)`,
      );
    }
    return spareOtherSources(full, found, project);
  }
}
