import { resolve } from 'node:path';
import type { ObjectKey } from '../../specs/model.js';
import type { HistoryEntry } from '../records/record-types.js';
import { CrashLoopTracker, FAILURE_BACKOFF } from './backoff.js';
import { ContainerKeys } from './container-keys.js';
import { DependencyWaits } from './dependency-waits.js';
import { DesiredStore } from './desired-store.js';
import { EventBus } from './event-bus.js';
import { engineEventSource } from './event-source.js';
import { folderSource } from './folder-source.js';
import { WatchMetrics } from './metrics.js';
import { ProjectResync } from './project-resync.js';
import { PruneGuard } from './prune-guard.js';
import { reconcileBatch } from './reconciler.js';
import { resyncTimerSource } from './resync-source.js';
import { RestartLog } from './restart-log.js';
import { Revisions, type RollbackStarted } from './revisions.js';
import type { WatchOptions } from './watch-options.js';
import { WorkQueue } from './work-queue.js';
import type { ResyncTrigger, SourceItem, WorkReason, WorkSink, WorkSource } from './work-reason.js';

export type { ChangeOrigin, WatchOptions } from './watch-options.js';

/**
 * The GitOps controller (issue 6): its sources (the folder or a git repository, the engine's
 * events, a resync timer; each a WorkSource) push typed items into one sink, which turns them
 * into object keys with typed reasons in one work queue; each batch of keys is reconciled
 * level-triggered (reconcileBatch). `start` reads the desired set and converges everything
 * once; `stop` ends the sources, lets in-flight work finish within a bound, and leaves
 * containers as they are. Revisions of the desired set live in revisions.ts, the full
 * resync in project-resync.ts.
 */
export class WatchController {
  readonly store: DesiredStore;
  readonly bus = new EventBus();
  readonly metrics: WatchMetrics;
  readonly queue: WorkQueue<ObjectKey, WorkReason>;
  /** Where every source pushes its work. */
  readonly sink: WorkSink = { push: (item) => this.take(item) };
  readonly crashLoop: CrashLoopTracker;
  /** berth's restarts, written through to the project's records for other processes. */
  readonly restartLog: RestartLog;
  /** Dependants parked on what they wait for; woken when it converges or starts (F24). */
  readonly waits = new DependencyWaits();
  private readonly started: WorkSource[] = [];
  private readonly now: () => number;
  /** Last `unpause` event per key, by hand or by berth: health seen before it is stale. */
  private readonly unpausedAt = new Map<ObjectKey, number>();
  private readonly containers: ContainerKeys;
  private readonly revisions: Revisions;
  private readonly resync: ProjectResync;

  constructor(private readonly options: WatchOptions) {
    this.now = options.clock ? () => options.clock!.now() : Date.now;
    this.store = new DesiredStore({
      dir: options.dir,
      allowEmpty: options.allowEmpty,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.hostRoot ? { hostRoot: options.hostRoot } : {}),
      ...(options.envFiles ? { envFiles: options.envFiles } : {}),
      loadOptions: options.loadOptions,
      ...(options.engineContext ? { engineContext: options.engineContext } : {}),
    });
    this.crashLoop = options.crashLoop ?? new CrashLoopTracker();
    this.restartLog = new RestartLog(
      options.stateDir ? { stateDir: options.stateDir, project: options.project } : undefined,
      options.logger,
    );
    this.containers = new ContainerKeys(options.project);
    const pruneGuard = new PruneGuard({
      project: options.project,
      folder: resolve(options.cwd ?? process.cwd(), options.dir),
      force: Boolean(options.force),
      logger: options.logger,
    });
    this.queue = new WorkQueue<ObjectKey, WorkReason>({
      // One batch at a time: batches that overlap (two containers on one missing network)
      // would race to create the same object. Work inside a batch runs in parallel.
      concurrency: 1,
      batchSize: 500,
      backoff: options.failureBackoff ?? FAILURE_BACKOFF,
      ...(options.clock ? { clock: options.clock } : {}),
      handle: (items) =>
        reconcileBatch(
          {
            engine: options.engine,
            project: options.project,
            desired: () => this.store.snapshot(),
            parallel: options.parallel,
            crashLoop: this.crashLoop,
            metrics: this.metrics,
            bus: this.bus,
            logger: options.logger,
            requeue: (key, reason) => this.queue.add(key, reason),
            waits: this.waits,
            onRestarts: (key, count, ids) => this.restartLog.record(key, count, ids, this.now()),
            onRan: (key, effect) => this.revisions.noteRan(key, effect),
            unpausedAt: (key) => this.unpausedAt.get(key),
            pruneGuard,
            now: this.now,
            stamp: () => this.revisions.stamp(),
            keepImageIds: () => this.revisions.keptImages(),
            ...(options.stateDir ? { stateDir: options.stateDir } : {}),
          },
          items,
        ),
    });
    this.metrics = new WatchMetrics(() => this.queue.depth());
    const shared = { store: this.store, bus: this.bus, queue: this.queue, now: this.now };
    this.revisions = new Revisions({
      ...shared,
      options,
      crashLoop: this.crashLoop,
      requestResync: (trigger) => this.requestResync(trigger),
    });
    this.resync = new ProjectResync({
      ...shared,
      engine: options.engine,
      project: options.project,
      logger: options.logger,
      metrics: this.metrics,
      pruneGuard,
      containers: this.containers,
      keptImages: () => this.revisions.keptImages(),
    });
  }

  /** Reads the desired set, starts every source, and queues a full resync. */
  async start(): Promise<void> {
    await this.restartLog.load();
    await this.revisions.refreshKeptImages();
    await this.revisions.loadApplied();
    for (const source of this.options.sources ?? []) await this.startSource(source);
    await this.reloadFolder();
    const { engine } = this.options;
    await this.startSource(
      engineEventSource({
        engine,
        project: this.options.project,
        onReachable: (up) => (this.metrics.engineReachable = up),
      }),
    );
    if (this.options.watchFolder !== false) await this.startSource(folderSource(this.options.dir));
    if (this.options.resyncMs > 0) await this.startSource(resyncTimerSource(this.options.resyncMs));
    void this.requestResync('start');
  }

  private async startSource(source: WorkSource): Promise<void> {
    await source.start(this.sink);
    this.started.push(source);
  }

  /** Takes one item a source pushed: the only way work enters the controller. */
  private async take(item: SourceItem): Promise<void> {
    switch (item.kind) {
      case 'manifest-changed':
        return this.reloadFolder({}, { kind: 'manifest-changed', paths: item.paths });
      case 'engine-event':
        return this.takeEngineEvent(item);
      case 'resync':
        if (item.trigger === 'engine-reconnected') {
          this.metrics.engineReconnects += 1;
          this.options.logger.info(
            { engine: this.options.engine.address },
            'engine event stream reconnected; resyncing',
          );
        }
        // The timer is also the safety net for lost file events: a few stats when unchanged.
        if (item.trigger === 'timer') await this.reloadFolder({ ifChanged: true });
        if (this.queueDisconnected(item.containerId)) return;
        return this.requestResync(item.trigger);
    }
  }

  /**
   * A network disconnect of a container berth knows queues that container alone, not a
   * resync of the whole project (issue 11: a crash loop disconnects on every exit, and a
   * full observe and plan each time was most of the controller's CPU); the disconnect that
   * follows a container's own exit queues nothing (its `die` did: one reconcile per exit,
   * not two). False when the container is not known: the caller resyncs.
   */
  private queueDisconnected(containerId: string | undefined): boolean {
    const key = this.containers.keyOf(containerId);
    if (key === undefined) return false;
    if (this.containers.isExited(containerId!)) return true;
    const reason = { kind: 'engine-event', objectRef: key, action: 'disconnect' } as const;
    this.queue.add(key, { ...reason, change: 'disconnected' });
    return true;
  }

  private takeEngineEvent(item: Extract<SourceItem, { kind: 'engine-event' }>): void {
    const { event, objectRef, change } = item;
    this.containers.noteEvent(event);
    this.bus.publish({
      type: 'engine',
      action: event.action,
      kind: event.type,
      name: event.name ?? event.id,
      time: event.time,
    });
    if (!objectRef || !change) return;
    // A start is no drift to repair: it only wakes the dependants waiting for it (F24).
    if (change === 'started') return this.wakeDependants(objectRef);
    if (change === 'unpaused') this.unpausedAt.set(objectRef, this.now());
    const containerId = event.type === 'container' ? { containerId: event.id } : {};
    this.queue.add(objectRef, {
      kind: 'engine-event',
      objectRef,
      action: item.action,
      change,
      ...containerId,
    });
  }

  /** Queues at once the dependants parked on `key`, which has just started. */
  private wakeDependants(key: ObjectKey): void {
    for (const dependant of this.waits.wake(key, this.now()))
      this.queue.add(dependant, { kind: 'dependency-ready', of: key });
  }

  /** Re-reads the folder and queues the keys whose declaration changed, ahead of any back-off. */
  reloadFolder(options: { ifChanged?: boolean } = {}, reason?: WorkReason): Promise<void> {
    return this.revisions.reloadFolder(options, reason);
  }

  /** The git commit whose set the controller converges to (revisions.ts `applied`). */
  appliedCommit(): string | undefined {
    return this.revisions.applied();
  }

  /** Rolls the project back to an earlier apply under watch (revisions.ts `rollbackTo`). */
  rollbackTo(entry: HistoryEntry): Promise<RollbackStarted> {
    return this.revisions.rollbackTo(entry);
  }

  /**
   * One observation and plan of the whole project; queues every key with work to do
   * (project-resync.ts). An idle resync costs one observe and, when the engine's answers
   * are those of the last idle resync, no plan.
   */
  requestResync(trigger: ResyncTrigger): Promise<void> {
    return this.resync.request(trigger);
  }

  /** Stops the sources and waits up to `graceMs` for in-flight reconciles; containers keep running. */
  async stop(graceMs = 10_000): Promise<void> {
    for (const source of this.started.splice(0).reverse()) await source.stop();
    await this.queue.shutdown(graceMs);
    await this.restartLog.settled();
  }
}
