import type { ObjectKey } from '../../specs/model.js';
import { needsWork } from '../executor/execute.js';
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../logger.js';
import { observeProject, planProject } from '../observe.js';
import type { ContainerKeys } from './container-keys.js';
import type { DesiredStore } from './desired-store.js';
import type { EventBus } from './event-bus.js';
import { IdleResync } from './idle-resync.js';
import { projectContainerIds, readsSettings, withSettings } from './settings-read.js';
import type { WatchMetrics } from './metrics.js';
import type { PruneGuard } from './prune-guard.js';
import type { WorkQueue } from './work-queue.js';
import { describeReason, type ResyncTrigger, type WorkReason } from './work-reason.js';

/** What a resync reads and where it puts the keys it finds work for. */
export interface ResyncDeps {
  engine: Engine;
  /** The Docker context of `engine` when it is not berth's own (a set spanning contexts). */
  context?: string;
  project: string;
  logger: Logger;
  /** The desired set this resync plans: the whole store, or one engine's part of it. */
  store: Pick<DesiredStore, 'snapshot'>;
  queue: WorkQueue<ObjectKey, WorkReason>;
  metrics: WatchMetrics;
  bus: Pick<EventBus, 'publish'>;
  pruneGuard: PruneGuard;
  containers: ContainerKeys;
  /** Image ids history keeps; undefined: unknown, keep all. */
  keptImages: () => Set<string> | undefined;
  now: () => number;
}

/**
 * The project's full resync: one observation and plan of the whole project that queues every
 * key with work to do. At most one runs at a time; asks made meanwhile fold into one more run
 * after it. An idle resync costs one observe, whatever the number of objects, and no plan at
 * all when the engine's answers are those of the last idle resync (idle-resync.ts).
 */
export class ProjectResync {
  private running: Promise<void> | undefined;
  private again: ResyncTrigger | undefined;
  private readonly idle = new IdleResync();

  constructor(private readonly deps: ResyncDeps) {}

  /** Runs a resync, or folds `trigger` into the one after the resync running now. */
  request(trigger: ResyncTrigger): Promise<void> {
    if (this.running) {
      this.again = trigger;
      return this.running;
    }
    this.running = this.run(trigger).finally(() => {
      this.running = undefined;
      const again = this.again;
      this.again = undefined;
      if (again) void this.request(again);
    });
    return this.running;
  }

  private async run(trigger: ResyncTrigger): Promise<void> {
    const { engine, project, logger, store, metrics, queue } = this.deps;
    const reason: WorkReason = { kind: 'resync', trigger };
    const cause = describeReason(reason);
    const snapshot = store.snapshot();
    metrics.resyncs += 1;
    try {
      const observed = await observeProject(engine, project, snapshot.objects);
      metrics.noteReachable(this.deps.context, true);
      // Settings changed in place while nothing watched (F272): read once, at start and after
      // a reconnect; the keys found drifted are read again by their batch (settings-read.ts).
      const observation = readsSettings(trigger)
        ? {
            ...observed,
            observed: await withSettings(
              engine,
              observed.observed,
              projectContainerIds(project, observed.observed),
            ),
          }
        : observed;
      const kept = this.deps.keptImages();
      this.deps.containers.remember(observation.observed.containers);
      if (this.idle.unchanged(snapshot, observation, kept)) {
        metrics.resyncsUnchanged += 1;
        metrics.lastSuccessfulSync = this.deps.now();
        return;
      }
      const full = this.deps.pruneGuard.apply(
        await planProject(engine, {
          project,
          desired: snapshot.objects,
          ...observation,
          prune: snapshot.prune,
          keepImageIds: kept,
          ...(snapshot.pinnedImages ? { pinnedImages: snapshot.pinnedImages } : {}),
        }),
        observation.observed,
      );
      const queued = full.objects.filter(needsWork).map((p) => p.key);
      for (const key of queued) queue.add(key, reason);
      this.idle.remember(snapshot, observation, queued.length === 0, kept);
      if (queued.length === 0) metrics.lastSuccessfulSync = this.deps.now();
      this.deps.bus.publish({ type: 'resync', cause, queued, time: this.deps.now() });
      logger.debug({ cause, queued }, 'resync');
    } catch (e) {
      const err = (e as Error).message;
      metrics.noteReachable(this.deps.context, false, err);
      const where = this.deps.context ? { context: this.deps.context } : {};
      logger.warn({ cause, ...where, err }, 'resync: cannot observe the engine');
    }
  }
}
