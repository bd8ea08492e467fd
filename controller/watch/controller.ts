import { resolve } from 'node:path';
import { objectKey, type ObjectKey } from '../../specs/model.js';
import type { HistoryEntry } from '../records/record-types.js';
import { holdProject, readHold, releaseProject, type ProjectHold } from '../records/hold.js';
import { formatProblem } from '../../specs/problems.js';
import { needsWork } from '../executor/execute.js';
import type { Engine, Labels } from '../engine/engine.js';
import type { Logger } from '../logger.js';
import { observeProject } from '../observe.js';
import { plan } from '../plan/plan.js';
import { CrashLoopTracker, FAILURE_BACKOFF, type BackoffPolicy } from './backoff.js';
import { DesiredStore, type DesiredStoreOptions } from './desired-store.js';
import { EventBus } from './event-bus.js';
import { engineEventSource } from './event-source.js';
import { folderSource } from './folder-source.js';
import { IdleResync } from './idle-resync.js';
import { WatchMetrics } from './metrics.js';
import { PruneGuard } from './prune-guard.js';
import { reconcileBatch } from './reconciler.js';
import { resyncTimerSource } from './resync-source.js';
import {
  describeReason,
  type ResyncTrigger,
  type SourceItem,
  type WorkReason,
  type WorkSink,
  type WorkSource,
} from './work-reason.js';
import { applyId, recordApply } from '../records/records.js';
import { LABEL, applyStamp } from '../labels.js';
import { RestartLog } from './restart-log.js';
import { imagesOfSet, keptImagesOf, pinnedImages } from '../records/image-history.js';
import { WorkQueue, type QueueClock } from './work-queue.js';
import { changeRecord, entryOrigin, revisionOrigin, type SettledChange } from './change-record.js';

/** Where a change of the desired set came from, for history. */
export interface ChangeOrigin {
  sources: string[];
  commit?: { sha: string; author: string; subject: string };
}

export interface WatchOptions {
  engine: Engine;
  /** The Docker context `engine` was reached through; objects placed elsewhere are refused. */
  engineContext?: string;
  project: string;
  dir: string;
  allowEmpty: boolean;
  /** Full resync period; 0 turns the timer off. */
  resyncMs: number;
  parallel: number;
  logger: Logger;
  /** Prune also what another folder of the project applied (`--force`). */
  force?: boolean;
  /** Watch the folder with chokidar (tests driving reloads by hand turn it off). */
  watchFolder?: boolean;
  failureBackoff?: BackoffPolicy;
  crashLoop?: CrashLoopTracker;
  clock?: QueueClock;
  /** Where project records live: each change of the folder is recorded as an apply. */
  stateDir?: string;
  /** How the folder is read: the CLI's policy and the engine's API version. */
  loadOptions?: DesiredStoreOptions['loadOptions'];
  /** Folder `dir` is relative to (a git checkout's root); problems are shown relative to it. */
  cwd?: string;
  /** A git checkout's relative BindMount host paths resolve under `hostRoot` (`--host-root`). */
  hostRoot?: { checkout: string; hostRoot: string };
  /** `--env-file` files for interpolation of the manifests; none: `.env` in `dir`. */
  envFiles?: string[];
  /**
   * What history records as the source of a change: the git source gives its URL and the
   * commit being applied; a folder is recorded as itself (and its work tree's HEAD).
   */
  origin?: () => ChangeOrigin;
  /**
   * Sources of the desired set besides the folder (a git repository), started before the
   * first read so that their first revision is what the controller converges to.
   */
  sources?: WorkSource[];
}

/**
 * The GitOps controller (issue 6): its sources (the folder or a git repository, the engine's
 * events, a resync timer; each a WorkSource) push typed items into one sink, which turns them
 * into object keys with typed reasons in one work queue; each batch of keys is reconciled
 * level-triggered (reconcileBatch). `start` reads the desired set and converges everything
 * once; `stop` ends the sources, lets in-flight work finish within a bound, and leaves
 * containers as they are.
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
  private readonly started: WorkSource[] = [];
  private resyncing: Promise<void> | undefined;
  private resyncAgain: ResyncTrigger | undefined;
  private readonly idleResync = new IdleResync();
  private readonly now: () => number;
  /** A reload was skipped under a hold: the first one after release reads everything. */
  private heldBack = false;
  /** Labels for containers created now: the current revision's apply id and commit. */
  private stamp: Record<string, string> | undefined;
  /** Last `unpause` event per key, by hand or by berth: health seen before it is stale. */
  private readonly unpausedAt = new Map<ObjectKey, number>();
  /** Engine id → key of the project's containers, from resyncs and container events. */
  private readonly containerKeys = new Map<string, ObjectKey>();
  private readonly pruneGuard: PruneGuard;
  /** Image ids the applies in history ran on (kept by retention); undefined: unknown, keep all. */
  private keptImages: Set<string> | undefined;

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
    this.pruneGuard = new PruneGuard({
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
            onRestarts: (key, count, ids) => this.restartLog.record(key, count, ids, this.now()),
            unpausedAt: (key) => this.unpausedAt.get(key),
            pruneGuard: this.pruneGuard,
            now: this.now,
            stamp: () => this.stamp,
            keepImageIds: () => this.keptImages,
          },
          items,
        ),
    });
    this.metrics = new WatchMetrics(() => this.queue.depth());
  }

  /** Reads the desired set, starts every source, and queues a full resync. */
  async start(): Promise<void> {
    await this.restartLog.load();
    await this.refreshKeptImages();
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
   * full observe and plan each time was most of the controller's CPU). False when the
   * container is not known: the caller resyncs.
   */
  private queueDisconnected(containerId: string | undefined): boolean {
    const key = containerId === undefined ? undefined : this.containerKeys.get(containerId);
    if (key === undefined) return false;
    const reason = { kind: 'engine-event', objectRef: key, action: 'disconnect' } as const;
    this.queue.add(key, { ...reason, change: 'disconnected' });
    return true;
  }

  private takeEngineEvent(item: Extract<SourceItem, { kind: 'engine-event' }>): void {
    const { event, objectRef, change } = item;
    if (event.type === 'container' && change === 'removed') this.containerKeys.delete(event.id);
    else if (event.type === 'container') this.rememberContainers([event]);
    this.bus.publish({
      type: 'engine',
      action: event.action,
      kind: event.type,
      name: event.name ?? event.id,
      time: event.time,
    });
    if (!objectRef || !change) return;
    if (change === 'unpaused') this.unpausedAt.set(objectRef, this.now());
    this.queue.add(objectRef, { kind: 'engine-event', objectRef, action: item.action, change });
  }

  /** Re-reads the folder and queues the keys whose declaration changed, ahead of any back-off. */
  async reloadFolder(
    options: { ifChanged?: boolean } = {},
    reason: WorkReason = { kind: 'manifest-changed', paths: [this.options.dir] },
  ): Promise<void> {
    // `berth hold`: no new revision is applied until release; drift is still repaired.
    const hold = this.options.stateDir
      ? await readHold(this.options.stateDir, this.options.project)
      : undefined;
    if (hold && !(await this.newRevisionEnds(hold))) {
      if (!this.heldBack)
        this.bus.publish({ type: 'hold', held: true, by: hold.by, time: this.now() });
      this.heldBack = true;
      return;
    }
    if (this.heldBack) {
      // Released: whatever the source says now is read in full.
      options = {};
      this.bus.publish({ type: 'hold', held: false, by: 'release', time: this.now() });
    }
    this.heldBack = false;
    const { changed, snapshot } = await this.store.reload(options);
    const problems = snapshot.problems.map(formatProblem);
    if (problems.length)
      this.options.logger.warn({ problems, notice: snapshot.notice }, 'manifests have problems');
    else if (snapshot.notice)
      this.options.logger.warn({ notice: snapshot.notice }, 'desired set kept');
    if (changed.length || problems.length)
      this.bus.publish({ type: 'desired', changed, problems, time: this.now() });
    for (const key of changed) {
      this.crashLoop.forget(key);
      this.queue.add(key, reason, { supersede: true });
    }
    if (changed.length) {
      // One apply per revision: its id (and commit) label the containers created for it.
      const time = this.now();
      const from = this.options.origin?.() ?? { sources: [this.options.dir] };
      this.stamp = applyStamp(applyId(time), from.commit?.sha);
      const { objects } = snapshot;
      const message = 'applied by berth watch';
      void this.recordWhenSettled({ changed, objects, time, from: revisionOrigin(from), message });
    }
  }

  /**
   * Rolls the project back to an earlier apply under watch (DESIGN.md "Updates and
   * rollback"): holds the project at the current source revision, converges to that apply's
   * desired set on its exact images (refs tagged back, never rebuilt) through the update path,
   * and records it in history. A new source revision or `release` ends the hold. Returns the
   * keys whose declaration changed.
   */
  async rollbackTo(entry: HistoryEntry): Promise<ObjectKey[]> {
    const { stateDir, project } = this.options;
    const time = this.now();
    const by = `rollback to ${entry.id}`;
    if (stateDir) await holdProject(stateDir, project, by, time, await this.revision());
    this.bus.publish({ type: 'hold', held: true, by, time });
    // Whatever the folder says when the hold ends is read in full then.
    this.heldBack = true;
    const objects = entry.objects ?? [];
    const notice = `rolled back to apply ${entry.id}`;
    const changed = this.store.pin(objects, pinnedImages(entry), notice);
    this.bus.publish({ type: 'desired', changed, problems: [], time });
    this.stamp = applyStamp(applyId(time), entry.commit);
    for (const key of changed) this.crashLoop.forget(key);
    // Every object: an image tagged back changes containers whose declaration did not.
    for (const o of objects)
      this.queue.add(objectKey(o), { kind: 'requested', action: 'rollback' }, { supersede: true });
    void this.requestResync('requested');
    const from = entryOrigin(entry);
    void this.recordWhenSettled({ changed, objects, time, from, message: by });
    return changed;
  }

  /** The source's revision now: the git source's commit, else the folder's fingerprint. */
  private async revision(): Promise<string> {
    return this.options.origin?.().commit?.sha ?? (await this.store.revision());
  }

  /** A rollback's hold ends once another source revision is there; `berth hold`'s never. */
  private async newRevisionEnds(hold: ProjectHold): Promise<boolean> {
    if (hold.revision === undefined || hold.revision === (await this.revision())) return false;
    await releaseProject(this.options.stateDir!, this.options.project);
    this.options.logger.info({ hold: hold.by }, 'a new source revision ends the hold');
    this.bus.publish({ type: 'hold', held: false, by: 'a new source revision', time: this.now() });
    return true;
  }

  private async refreshKeptImages(): Promise<void> {
    const { stateDir, project } = this.options;
    this.keptImages = stateDir ? await keptImagesOf(stateDir, project) : undefined;
  }

  /**
   * Records a change of the folder in the project's history once the queue has worked it
   * off, so `berth history`, and `status` without a controller, see what watch applied.
   */
  private async recordWhenSettled(change: SettledChange): Promise<void> {
    const { stateDir, project, logger, engine } = this.options;
    if (!stateDir) return;
    await this.queue.whenIdle();
    const failed = change.changed.filter((key) => this.queue.failureCount(key) > 0).length;
    const images = await imagesOfSet(engine, change.objects);
    const record = changeRecord(change, failed, this.now(), images);
    const entry = await recordApply(stateDir, project, record).catch((e: Error) =>
      logger.warn({ err: e.message }, 'could not record the change'),
    );
    if (entry) {
      const { id = '', outcome, message = '' } = entry;
      this.bus.publish({ type: 'history', id, outcome, message, time: this.now() });
    }
    const before = this.keptImages;
    await this.refreshKeptImages();
    // An image no apply in history uses any more is retired now, not at some later change.
    if (before && [...before].some((id) => !this.keptImages?.has(id)))
      void this.requestResync('requested');
  }

  /**
   * One observation and plan of the whole project; queues every key with work to do. An
   * idle resync therefore costs one observe, whatever the number of objects, and no plan at
   * all when the engine's answers are those of the last idle resync (idle-resync.ts).
   */
  requestResync(trigger: ResyncTrigger): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = trigger;
      return this.resyncing;
    }
    this.resyncing = this.resync(trigger).finally(() => {
      this.resyncing = undefined;
      const again = this.resyncAgain;
      this.resyncAgain = undefined;
      if (again) void this.requestResync(again);
    });
    return this.resyncing;
  }

  private async resync(trigger: ResyncTrigger): Promise<void> {
    const { engine, project, logger } = this.options;
    const reason: WorkReason = { kind: 'resync', trigger };
    const cause = describeReason(reason);
    const snapshot = this.store.snapshot();
    this.metrics.resyncs += 1;
    try {
      const observation = await observeProject(engine, project, snapshot.objects);
      this.metrics.engineReachable = true;
      this.rememberContainers(observation.observed.containers);
      if (this.idleResync.unchanged(snapshot, observation, this.keptImages)) {
        this.metrics.resyncsUnchanged += 1;
        this.metrics.lastSuccessfulSync = this.now();
        return;
      }
      const full = this.pruneGuard.apply(
        plan({
          project,
          desired: snapshot.objects,
          ...observation,
          prune: snapshot.prune,
          keepImageIds: this.keptImages,
          ...(snapshot.pinnedImages ? { pinnedImages: snapshot.pinnedImages } : {}),
        }),
        observation.observed,
      );
      const queued = full.objects.filter(needsWork).map((p) => p.key);
      for (const key of queued) this.queue.add(key, reason);
      this.idleResync.remember(snapshot, observation, queued.length === 0, this.keptImages);
      if (queued.length === 0) this.metrics.lastSuccessfulSync = this.now();
      this.bus.publish({ type: 'resync', cause, queued, time: this.now() });
      logger.debug({ cause, queued }, 'resync');
    } catch (e) {
      this.metrics.engineReachable = false;
      logger.warn({ cause, err: (e as Error).message }, 'resync: cannot observe the engine');
    }
  }

  /** Keys of the project's containers by engine id (from their labels), for `queueDisconnected`. */
  private rememberContainers(containers: readonly { id: string; labels: Labels }[]): void {
    for (const c of containers) {
      const name = c.labels[LABEL.name];
      if (c.labels[LABEL.project] === this.options.project && name)
        this.containerKeys.set(c.id, `${c.labels[LABEL.kind] ?? 'Container'}/${name}` as ObjectKey);
    }
  }

  /** Stops the sources and waits up to `graceMs` for in-flight reconciles; containers keep running. */
  async stop(graceMs = 10_000): Promise<void> {
    for (const source of this.started.splice(0).reverse()) await source.stop();
    await this.queue.shutdown(graceMs);
    await this.restartLog.settled();
  }
}
