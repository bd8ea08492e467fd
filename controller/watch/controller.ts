import { resolve } from 'node:path';
import { referencedPaths } from '../../specs/index.js';
import { objectKey, type ObjectKey } from '../../specs/model.js';
import type { Engine } from '../engine/engine.js';
import type { HistoryEntry } from '../records/record-types.js';
import type { ObjectOutcome } from '../executor/execute.js';
import { readLastApplied } from '../records/records.js';
import { CrashLoopTracker, FAILURE_BACKOFF } from './backoff.js';
import { DependencyWaits } from './dependency-waits.js';
import { DesiredStore } from './desired-store.js';
import { BerthError } from '../errors.js';
import { engineFactsOnce } from './engine-facts.js';
import { EngineIdentities } from './engine-identity.js';
import { EngineLane } from './engine-lane.js';
import { EngineLanes } from './engine-lanes.js';
import { EventBus } from './event-bus.js';
import { folderSource } from './folder-source.js';
import { referencedSource, type ReferencedSource } from './referenced-source.js';
import { WatchMetrics } from './metrics.js';
import { PruneGuard } from './prune-guard.js';
import { reconcileBatch } from './reconciler.js';
import { resyncTimerSource } from './resync-source.js';
import { RestartLog } from './restart-log.js';
import { RequestedRestarts } from './requested-restarts.js';
import { Revisions, type RollbackStarted } from './revisions.js';
import type { WatchOptions } from './watch-options.js';
import type { ResyncTrigger, SourceItem, WorkReason, WorkSink, WorkSource } from './work-reason.js';

export type { ChangeOrigin, WatchOptions } from './watch-options.js';

/**
 * The GitOps controller (issue 6): its sources (the folder or a git repository, the engine's
 * events, a resync timer; each a WorkSource) push typed items into one sink, which turns them
 * into object keys with typed reasons in a work queue; each batch of keys is reconciled
 * level-triggered (reconcileBatch). A set spanning Docker contexts (`spec.placement`) has one
 * lane per engine (engine-lane.ts: its own connection, event stream, queue and resync), all
 * fed from the one desired store (engine-lanes.ts says which key goes where). `start` reads
 * the desired set and converges everything once; `stop` ends the sources, lets in-flight
 * work finish within a bound, and leaves containers as they are. Revisions of the desired
 * set live in revisions.ts, the full resync in project-resync.ts.
 */
export class WatchController {
  readonly store: DesiredStore;
  readonly bus = new EventBus();
  readonly metrics: WatchMetrics;
  /** One lane per engine the set is placed on; also the queue every key is added to. */
  readonly lanes: EngineLanes;
  /** Where every source pushes its work. */
  readonly sink: WorkSink = { push: (item) => this.take(this.lanes.home, item) };
  readonly crashLoop: CrashLoopTracker;
  /** berth's restarts, written through to the project's records for other processes. */
  readonly restartLog: RestartLog;
  /**
   * Why the last reconcile of a key failed, while it has not converged since (status and the
   * API show it: F126, it was only in the log). A wait for another object is not kept.
   */
  readonly failures = new Map<ObjectKey, string>();
  /** Dependants parked on what they wait for; woken when it converges or starts (F24). */
  readonly waits = new DependencyWaits();
  /** Restarts people asked for, under way: their exits are not crashes (F154). */
  readonly requestedRestarts = new RequestedRestarts();
  private readonly started: WorkSource[] = [];
  private running = false;
  private readonly now: () => number;
  /** Last unpause per key (its event, or berth's own step): health seen before it is stale. */
  private readonly unpausedAt = new Map<ObjectKey, number>();
  private readonly revisions: Revisions;
  private readonly pruneGuard: PruneGuard;
  private readonly identities: EngineIdentities;
  /** The files and build contexts the set references, watched with the folder (F122). */
  private referenced: ReferencedSource | undefined;

  constructor(private readonly options: WatchOptions) {
    this.now = options.clock ? () => options.clock!.now() : Date.now;
    this.store = new DesiredStore({
      dir: options.dir,
      allowEmpty: options.allowEmpty,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.hostRoot ? { hostRoot: options.hostRoot } : {}),
      ...(options.envFiles ? { envFiles: options.envFiles } : {}),
      loadOptions: options.loadOptions,
      engineFacts: engineFactsOnce(options.engine, options.engineFor),
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
    this.identities = new EngineIdentities(options.project, options.engine);
    this.metrics = new WatchMetrics(() => this.lanes.depth());
    this.lanes = new EngineLanes({
      ...(options.engineContext ? { homeContext: options.engineContext } : {}),
      desired: () => this.store.snapshot(),
      makeLane: (context) => this.makeLane(context),
      // A context the set newly places on is looked at as a whole once the watch runs.
      onNewLane: (lane) => {
        if (this.running) void lane.resync('start');
      },
      logger: options.logger,
    });
    this.revisions = new Revisions({
      store: this.store,
      bus: this.bus,
      queue: this.lanes,
      now: this.now,
      options,
      crashLoop: this.crashLoop,
      requestResync: (trigger) => this.requestResync(trigger),
      reachable: () => this.metrics.engineReachable,
    });
  }

  /** The lane of one engine: berth's own (`context` undefined), or that of a Docker context. */
  private makeLane(context: string | undefined): EngineLane {
    const { options } = this;
    return new EngineLane({
      context,
      connect: () =>
        context === undefined ? Promise.resolve(options.engine) : this.reach(context),
      project: options.project,
      logger: options.logger,
      metrics: this.metrics,
      bus: this.bus,
      desired: () => this.lanes.partOf(context),
      queue: {
        backoff: options.failureBackoff ?? FAILURE_BACKOFF,
        ...(options.clock ? { clock: options.clock } : {}),
      },
      reconcile: (engine, bus, items) =>
        reconcileBatch(
          {
            engine,
            ...(context !== undefined ? { context } : {}),
            project: options.project,
            desired: () => this.lanes.partOf(context),
            parallel: options.parallel,
            crashLoop: this.crashLoop,
            metrics: this.metrics,
            bus,
            logger: options.logger,
            requeue: (key, reason) => this.lanes.add(key, reason),
            waits: this.waits,
            restarting: (key) => this.requestedRestarts.active(key),
            onRestarts: (key, count, ids) => this.restartLog.record(key, count, ids, this.now()),
            onRan: (key, effect, steps) => this.revisions.noteRan(key, effect, steps),
            onFailedUpdate: (key, message) => this.revisions.holdAfterFailedUpdate(key, message),
            onSettled: (key, outcome) => this.noteOutcome(key, outcome),
            unpausedAt: (key) => this.unpausedAt.get(key),
            onUnpaused: (key) => this.unpausedAt.set(key, this.now()),
            pruneGuard: this.pruneGuard,
            now: this.now,
            stamp: () => this.revisions.stamp(),
            keepImageIds: () => this.revisions.keptImages(),
            ...(options.stateDir ? { stateDir: options.stateDir } : {}),
          },
          items,
        ),
      resync: {
        pruneGuard: this.pruneGuard,
        keptImages: () => this.revisions.keptImages(),
        now: this.now,
      },
      take: (lane, item) => this.take(lane, item),
    });
  }

  private noteOutcome(key: ObjectKey, outcome: ObjectOutcome | undefined): void {
    if (outcome?.outcome === 'failed' && !outcome.waitingFor) {
      const at = new Date(this.now()).toISOString();
      this.failures.set(key, `reconcile failed at ${at}: ${outcome.message ?? 'failed'}`);
    } else if (!outcome || outcome.outcome === 'converged') this.failures.delete(key);
  }

  /** The set last applied, as the last good objects of broken files (desired-store.ts, F117). */
  private async seedFromLastApplied(): Promise<void> {
    const { stateDir, project } = this.options;
    if (!stateDir) return;
    const applied = await readLastApplied(stateDir, project);
    if (applied.ok) this.store.seedLastGood(applied.value.objects);
  }

  /**
   * The engine of `context`, unless it is one a lane already reconciles through another
   * context: then its objects join that lane (engine-identity.ts) and this rejects.
   */
  private async reach(context: string): Promise<Engine> {
    if (!this.options.engineFor)
      throw new BerthError('E_ENGINE_UNREACHABLE', `context "${context}": no engine for it`);
    const engine = await this.options.engineFor(context);
    const same = await this.identities.identify(context, engine);
    if (!same) return engine;
    this.lanes.join(context, same.joins);
    const other = same.joins === undefined ? "berth's own" : `context "${same.joins}"'s`;
    throw new BerthError('E_ENGINE', `context "${context}" reaches ${other} engine`);
  }

  /** Reads the desired set, starts every source, and queues a full resync. */
  async start(): Promise<void> {
    await this.restartLog.load();
    await this.revisions.refreshKeptImages();
    await this.revisions.loadApplied();
    await this.seedFromLastApplied();
    for (const source of this.options.sources ?? []) await this.startSource(source);
    await this.reloadFolder();
    // Each engine's event stream starts as its lane first reaches it (the resync below).
    await Promise.all(this.lanes.all().map((lane) => lane.engine().catch(() => undefined)));
    if (this.options.watchFolder !== false) {
      await this.startSource(folderSource(this.options.dir));
      this.referenced = referencedSource();
      await this.startSource(this.referenced);
      await this.followReferences();
    }
    if (this.options.resyncMs > 0) await this.startSource(resyncTimerSource(this.options.resyncMs));
    this.running = true;
    void this.requestResync('start');
  }

  private async startSource(source: WorkSource): Promise<void> {
    await source.start(this.sink);
    this.started.push(source);
  }

  /**
   * Takes one item a source pushed: the only way work enters the controller. `lane` is the
   * engine whose event stream pushed it (berth's own for the folder, git and the timer).
   */
  private async take(lane: EngineLane, item: SourceItem): Promise<void> {
    switch (item.kind) {
      case 'manifest-changed':
        return this.reloadFolder(
          {},
          item.referenced
            ? { kind: 'manifest-changed', paths: item.paths, referenced: true }
            : { kind: 'manifest-changed', paths: item.paths },
        );
      case 'engine-event':
        return this.takeEngineEvent(lane, item);
      case 'resync':
        if (item.trigger === 'engine-reconnected') {
          this.metrics.engineReconnects += 1;
          const where = lane.context ? { context: lane.context } : {};
          const engine = await lane.engine().catch(() => undefined);
          this.options.logger.info(
            { engine: engine?.address, ...where },
            'engine event stream reconnected; resyncing',
          );
          // Events were lost on that engine alone: the others are as they were.
          return lane.resync(item.trigger);
        }
        // The timer is also the safety net for lost file events: a few stats when unchanged.
        if (item.trigger === 'timer') await this.reloadFolder({ ifChanged: true });
        if (this.queueDisconnected(lane, item.containerId)) return;
        if (item.trigger === 'network-disconnected') return lane.resync(item.trigger);
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
  private queueDisconnected(lane: EngineLane, containerId: string | undefined): boolean {
    const key = lane.containers.keyOf(containerId);
    if (key === undefined) return false;
    if (lane.containers.isExited(containerId!)) return true;
    const reason = { kind: 'engine-event', objectRef: key, action: 'disconnect' } as const;
    lane.queue.add(key, { ...reason, change: 'disconnected' });
    return true;
  }

  /** An engine event is queued on the lane of that engine: a leftover there is its to remove. */
  private takeEngineEvent(
    lane: EngineLane,
    item: Extract<SourceItem, { kind: 'engine-event' }>,
  ): void {
    const { event, objectRef, change } = item;
    lane.containers.noteEvent(event);
    this.bus.publish({
      type: 'engine',
      action: event.action,
      kind: event.type,
      name: event.name ?? event.id,
      time: event.time,
    });
    if (!objectRef || !change) return;
    if (change === 'started') {
      // A start wakes the dependants waiting for it (F24). It is drift only where the
      // declaration says otherwise (F120: one declared exited, started by hand, ran until the
      // next resync); a declared-running one's start is not queued (a crash loop under the
      // engine's restart policy starts it every few seconds: issue 11).
      this.wakeDependants(objectRef);
      if (this.declaredRunning(objectRef)) return;
    }
    if (change === 'unpaused') this.unpausedAt.set(objectRef, this.now());
    const containerId = event.type === 'container' ? { containerId: event.id, at: event.time } : {};
    lane.queue.add(objectRef, {
      kind: 'engine-event',
      objectRef,
      action: item.action,
      change,
      ...containerId,
    });
  }

  /** `key` is a container the current set declares `running`. */
  private declaredRunning(key: ObjectKey): boolean {
    const declared = this.store.snapshot().objects.find((o) => objectKey(o) === key);
    return declared?.kind === 'Container' && declared.spec.state === 'running';
  }

  /** Queues at once the dependants parked on `key`, which has just started. */
  private wakeDependants(key: ObjectKey): void {
    for (const dependant of this.waits.wake(key, this.now()))
      this.lanes.add(dependant, { kind: 'dependency-ready', of: key });
  }

  /**
   * Re-reads the folder and queues the keys whose declaration changed, ahead of any back-off;
   * then watches what the set now references.
   */
  async reloadFolder(options: { ifChanged?: boolean } = {}, reason?: WorkReason): Promise<void> {
    await this.revisions.reloadFolder(options, reason);
    await this.followReferences();
  }

  /** Points the watch of referenced files at what the current set references. */
  private async followReferences(): Promise<void> {
    await this.referenced?.follow(referencedPaths(this.store.snapshot().objects));
  }

  /** The git commit whose set the controller converges to (revisions.ts `applied`). */
  appliedCommit(): string | undefined {
    return this.revisions.applied();
  }

  /**
   * Runs a restart someone asked for (`berth restart`, the web view's Restart) of `key`: while
   * it runs, the container's exit is not taken as a crash (no restart of the controller's
   * own, no back-off); afterwards the key is queued to be looked at again (F154), and the
   * restart of `containerIds` (the container's engine ids) is counted in its `restarts` (F468).
   */
  async restartRequested<T>(
    key: ObjectKey,
    containerIds: readonly string[],
    restart: () => Promise<T>,
  ): Promise<T> {
    const done = await this.requestedRestarts.perform(key, restart, () =>
      this.lanes.add(key, { kind: 'requested', action: 'restart' }),
    );
    // Counted like the controller's own restarts (DESIGN.md: `berth restart` is "counted").
    this.restartLog.record(key, 1, containerIds, this.now());
    return done;
  }

  /** Rolls the project back to an earlier apply under watch (revisions.ts `rollbackTo`). */
  rollbackTo(entry: HistoryEntry): Promise<RollbackStarted> {
    return this.revisions.rollbackTo(entry);
  }

  /**
   * One observation and plan of the whole project on every engine (project-resync.ts, one
   * per lane, in parallel); queues every key with work to do. An idle resync costs one
   * observe per engine and, when an engine's answers are those of its last idle resync, no
   * plan.
   */
  async requestResync(trigger: ResyncTrigger): Promise<void> {
    await Promise.all(this.lanes.all().map((lane) => lane.resync(trigger)));
  }

  /** Stops the sources and waits up to `graceMs` for in-flight reconciles; containers keep running. */
  async stop(graceMs = 10_000): Promise<void> {
    for (const source of this.started.splice(0).reverse()) await source.stop();
    await Promise.all(this.lanes.all().map((lane) => lane.stop(graceMs)));
    await this.restartLog.settled();
  }
}
