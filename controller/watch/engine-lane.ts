import type { ObjectKey } from '../../specs/model.js';
import { EngineError, type Engine, type ResourceNames } from '../engine/engine.js';
import { toBerthError } from '../errors.js';
import { keyOn } from '../executor/placement.js';
import { declaredResourceNames } from '../labels.js';
import type { Logger } from '../logger.js';
import type { BackoffPolicy } from './backoff.js';
import { ContainerKeys } from './container-keys.js';
import type { DesiredSnapshot } from './desired-store.js';
import type { EventBus, WatchEvent } from './event-bus.js';
import { engineEventSource } from './event-source.js';
import type { WatchMetrics } from './metrics.js';
import { ProjectResync, type ResyncDeps } from './project-resync.js';
import { WorkQueue, type QueueClock, type WorkItem, type WorkVerdict } from './work-queue.js';
import type { ResyncTrigger, SourceItem, WorkReason, WorkSource } from './work-reason.js';

type Item = WorkItem<ObjectKey, WorkReason>;
type Verdicts = Map<ObjectKey, WorkVerdict<WorkReason>>;

/** What one lane is made of; the controller supplies the parts all lanes share. */
export interface EngineLaneOptions {
  /** The Docker context of the lane's engine; undefined: the engine berth watch runs against. */
  context: string | undefined;
  /**
   * Reaches the lane's engine. Called again after it failed (a context written later);
   * rejects with the reason, which fails the lane's objects only.
   */
  connect: () => Promise<Engine>;
  project: string;
  logger: Logger;
  metrics: WatchMetrics;
  bus: EventBus;
  /** The lane's part of the desired set (one snapshot object while the set is unchanged). */
  desired: () => DesiredSnapshot;
  queue: { backoff: BackoffPolicy; clock?: QueueClock };
  /**
   * One batch of the lane's keys on its engine (the controller's reconcileBatch: observe →
   * plan → execute), publishing on `bus` (keys as `Kind/name@context` off berth's own engine).
   */
  reconcile: (engine: Engine, bus: Pick<EventBus, 'publish'>, items: Item[]) => Promise<Verdicts>;
  /** What every lane's full resync shares. */
  resync: Pick<ResyncDeps, 'pruneGuard' | 'keptImages' | 'now'>;
  /** Takes the items of the lane's engine event stream (engine events, reconnect resyncs). */
  take: (lane: EngineLane, item: SourceItem) => Promise<void>;
}

/**
 * One engine of the watched set (DESIGN.md "Several engines and a cluster engine"): its own
 * engine connection, event stream, work queue (with per-key back-off) and full resync, fed
 * with the part of the one desired set placed on its engine (placement.ts groupByEngine).
 * Its reconciles are berth watch's on one engine, so an engine that is away fails only its
 * own objects, and coming back resyncs only it. Connects on first use.
 */
export class EngineLane {
  readonly queue: WorkQueue<ObjectKey, WorkReason>;
  /** Container ids of the project on this engine, for events that name a container by id. */
  readonly containers: ContainerKeys;
  /** The controller's bus, with keys as `Kind/name@context` off berth's own engine. */
  readonly bus: Pick<EventBus, 'publish'>;
  private linked: Promise<{ engine: Engine; resync: ProjectResync }> | undefined;
  private events: WorkSource | undefined;
  private stopped = false;
  /** Why the last connection failed; undefined once connected. The next one resyncs the lane. */
  private lastFailure: string | undefined;
  /** The declared network and volume names of the last desired snapshot asked about. */
  private names: { of: DesiredSnapshot; names: ResourceNames } | undefined;

  constructor(private readonly options: EngineLaneOptions) {
    this.containers = new ContainerKeys(options.project);
    this.bus = onContextBus(options.bus, options.context);
    this.queue = new WorkQueue<ObjectKey, WorkReason>({
      // One batch at a time: batches that overlap (two containers on one missing network)
      // would race to create the same object. Work inside a batch runs in parallel.
      concurrency: 1,
      batchSize: 500,
      ...options.queue,
      handle: (items) => this.handle(items),
    });
  }

  get context(): string | undefined {
    return this.options.context;
  }

  /** The lane's engine, connected (and its event stream started) on first use. */
  engine(): Promise<Engine> {
    return this.link().then((l) => l.engine);
  }

  /**
   * The lane's engine as it is now, never trying to connect again: rejects at once with
   * E_ENGINE_UNREACHABLE and why (without the context: the caller names it) while the engine
   * is away. Status and the web view must not wait on it; the lane's own retries reconnect.
   */
  engineNow(): Promise<Engine> {
    if (this.linked) return this.linked.then((l) => l.engine);
    const why = this.lastFailure ?? 'not connected yet';
    return Promise.reject(new EngineError('E_ENGINE_UNREACHABLE', why));
  }

  /** One observe and plan of the lane's engine; queues every key with work. */
  async resync(trigger: ResyncTrigger): Promise<void> {
    const linked = await this.link().catch(() => undefined);
    await linked?.resync.request(trigger);
  }

  /** Stops the event stream and waits up to `graceMs` for the batch in flight. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    await this.events?.stop();
    await this.queue.shutdown(graceMs);
  }

  /**
   * The lane's declared networks and volumes by engine name, for its event stream (F172: one
   * with `spec.name` is matched by that name); worked out once per desired snapshot.
   */
  private resourceNames(): ResourceNames {
    const snapshot = this.options.desired();
    if (this.names?.of !== snapshot) {
      this.names = {
        of: snapshot,
        names: declaredResourceNames(this.options.project, snapshot.objects),
      };
    }
    return this.names.names;
  }

  private handle(items: Item[]): Promise<Verdicts> {
    return this.link().then(
      ({ engine }) => this.options.reconcile(engine, this.bus, items),
      (): Verdicts => new Map(items.map((i) => [i.key, 'failed' as const])),
    );
  }

  /** Connects once; a failure is noted (the context named) and tried again on the next use. */
  private link(): Promise<{ engine: Engine; resync: ProjectResync }> {
    this.linked ??= this.options.connect().then(
      (engine) => this.linkTo(engine),
      (e: unknown) => {
        this.linked = undefined;
        // A lane stopped meanwhile (its context joined another's engine) is no engine away.
        if (this.stopped) throw e;
        const { context, logger, metrics } = this.options;
        const err = toBerthError(e).message;
        this.lastFailure = err.replace(`context "${context}": `, '');
        metrics.noteReachable(context, false, err);
        logger.warn({ ...(context ? { context } : {}), err }, 'cannot reach the engine');
        throw e;
      },
    );
    return this.linked;
  }

  private async linkTo(engine: Engine): Promise<{ engine: Engine; resync: ProjectResync }> {
    const { context, project, logger, metrics } = this.options;
    const resync = new ProjectResync({
      ...this.options.resync,
      engine,
      ...(context ? { context } : {}),
      project,
      logger,
      metrics,
      bus: this.bus,
      store: { snapshot: () => this.options.desired() },
      queue: this.queue,
      containers: this.containers,
    });
    if (!this.stopped) {
      this.events = engineEventSource({
        engine,
        project,
        resources: () => this.resourceNames(),
        onReachable: (up) => metrics.noteReachable(context, up),
      });
      await this.events.start({ push: (item) => this.options.take(this, item) });
    }
    if (this.lastFailure !== undefined) {
      this.lastFailure = undefined;
      void resync.request('engine-reconnected');
    }
    return { engine, resync };
  }
}

/**
 * `bus` with the object keys of the events of an engine other than berth's own written
 * `Kind/name@context`, as status, get and the web view name its objects.
 */
function onContextBus(bus: EventBus, context: string | undefined): Pick<EventBus, 'publish'> {
  if (context === undefined) return bus;
  const on = (key: string) => keyOn(key as ObjectKey, context);
  const qualify = (e: WatchEvent): WatchEvent => {
    switch (e.type) {
      case 'reconcile':
      case 'progress':
        return { ...e, key: on(e.key) };
      case 'plan':
        return { ...e, steps: e.steps.map((s) => ({ ...s, key: on(s.key) })) };
      case 'resync':
        return { ...e, queued: e.queued.map(on) };
      default:
        return e;
    }
  };
  return { publish: (e) => bus.publish(qualify(e)) };
}
