import type { ObjectKey } from '../../specs/model.js';
import { objectKey } from '../../specs/model.js';
import type { Engine } from '../engine/engine.js';
import { groupByEngine, keyOn, type EngineGroup } from '../executor/placement.js';
import type { Logger } from '../logger.js';
import type { DesiredSnapshot } from './desired-store.js';
import type { EngineLane } from './engine-lane.js';
import type { AddOptions } from './work-queue.js';
import type { WorkReason } from './work-reason.js';

/** What the lanes are built from. */
export interface EngineLanesOptions {
  /** The Docker context berth watch runs against (placing an object on it is no placement). */
  homeContext?: string;
  /** The desired set now (the controller's one store). */
  desired: () => DesiredSnapshot;
  /** Makes the lane of `context` (undefined: berth's own engine); it connects on first use. */
  makeLane: (context: string | undefined) => EngineLane;
  /** Called with each lane made after the first (a context the set newly places on). */
  onNewLane?: (lane: EngineLane) => void;
  logger: Logger;
}

/**
 * The engines of one watch and which object goes to which (placement.ts groupByEngine, the
 * grouping apply uses): the lane of berth's own engine always exists; another is made when
 * the set first places an object on its context, and kept while the watch runs (it prunes
 * what the set no longer places there). Contexts found to reach one engine are one lane
 * (`join`). Also the queue of the controller's users (`add`, `depth`, `whenIdle`): each key
 * goes to the lane of the engine it is placed on now, and to the one it was placed on before
 * (a moved object is removed there).
 */
export class EngineLanes {
  readonly home: EngineLane;
  private readonly others = new Map<string, EngineLane>();
  /** Contexts that reach the engine of another lane, with that lane's context. */
  private readonly joinedTo = new Map<string, string | undefined>();
  /**
   * The lanes (contexts) of every key the set has placed, kept after it left the set: one
   * for most, several for a network or volume used by containers on several engines.
   */
  private readonly placedOn = new Map<ObjectKey, (string | undefined)[]>();
  /** The set last split: each engine's part, and `rest` for an engine it places nothing on. */
  private split: {
    of: DesiredSnapshot;
    groups: EngineGroup[];
    parts: Map<string | undefined, DesiredSnapshot>;
    rest: DesiredSnapshot;
  };

  constructor(private readonly options: EngineLanesOptions) {
    this.home = options.makeLane(undefined);
    const none: DesiredSnapshot = { objects: [], problems: [], prune: false };
    this.split = { of: none, groups: [{ objects: [] }], parts: new Map(), rest: none };
  }

  /** Every lane, berth's own engine's first (a joined context's lane no longer counts). */
  all(): EngineLane[] {
    this.refresh();
    const own = [...this.others].filter(([context]) => !this.joinedTo.has(context));
    return [this.home, ...own.map(([, lane]) => lane)];
  }

  /** The desired set by engine, berth's own engine's group first (joined contexts as one). */
  groups(): EngineGroup[] {
    this.refresh();
    return this.split.groups;
  }

  /** The part of the desired set on the engine of the lane of `context` (one object per set). */
  partOf(context: string | undefined): DesiredSnapshot {
    this.refresh();
    return this.split.parts.get(context) ?? this.split.rest;
  }

  /** Queues `key` on the lanes of its engines now, and on those it was on before. */
  add(key: ObjectKey, reason: WorkReason, options?: AddOptions): void {
    const before = this.contextsOf(key);
    this.refresh();
    const lanes = new Set([...before, ...this.contextsOf(key)].map((c) => this.laneOf(c)));
    for (const lane of lanes) lane.queue.add(key, reason, options);
  }

  /** `key` as status names it: `Kind/name@context` when placed on another lane than berth's own. */
  statusKey(key: ObjectKey): ObjectKey {
    this.refresh();
    return keyOn(key, this.laneContext(this.contextsOf(key)[0]));
  }

  /** The lane `key` is placed on now (berth's own engine's when not placed). */
  laneFor(key: ObjectKey): EngineLane {
    this.refresh();
    return this.laneOf(this.contextsOf(key)[0]);
  }

  /**
   * The engine of `context`'s lane, connected once for the whole watch (status reads through
   * it); rejects at once (E_ENGINE_UNREACHABLE) while that engine is away.
   */
  engineOf(context: string): Promise<Engine> {
    this.refresh();
    const lane = this.others.has(context) ? this.laneOf(context) : undefined;
    if (lane) return lane.engineNow();
    return Promise.reject(new Error(`the watched set places nothing on context "${context}"`));
  }

  /**
   * `context` reaches the engine of the lane of `into` (undefined: berth's own): its objects
   * are that lane's from now on (queued there at once), and its own lane stops.
   */
  join(context: string, into: string | undefined): void {
    if (this.joinedTo.has(context)) return;
    this.joinedTo.set(context, into);
    const where = into === undefined ? "berth's own engine" : `the engine of context "${into}"`;
    this.options.logger.info(
      { context, joins: into ?? null },
      `context "${context}" reaches ${where}: their objects are reconciled there as one set`,
    );
    void this.others.get(context)?.stop(0);
    const moved = [...this.placedOn].filter(([, on]) => on.includes(context)).map(([key]) => key);
    this.refresh(true);
    for (const key of moved)
      this.laneOf(into).queue.add(key, { kind: 'requested', action: 'join' });
  }

  /** Keys queued or in back-off, on every lane. */
  depth(): number {
    return this.all().reduce((n, lane) => n + lane.queue.depth(), 0);
  }

  /** Resolves once no lane has work ready or in flight (keys may wait in back-off). */
  async whenIdle(): Promise<void> {
    // Twice: work queued on one lane while another went idle is waited for too.
    for (let round = 0; round < 2; round++)
      await Promise.all(this.all().map((l) => l.queue.whenIdle()));
  }

  /** The contexts `key` was last placed on (berth's own engine when never placed). */
  private contextsOf(key: ObjectKey): (string | undefined)[] {
    return this.placedOn.get(key) ?? [undefined];
  }

  /** The lane of the engine `context` reaches (a joined context's: the lane it joined). */
  private laneOf(context: string | undefined): EngineLane {
    const own = this.laneContext(context);
    return (own === undefined ? undefined : this.others.get(own)) ?? this.home;
  }

  /** The lane context objects placed on `context` go to (a joined context: the other's). */
  private laneContext(context: string | undefined): string | undefined {
    return context !== undefined && this.joinedTo.has(context)
      ? this.joinedTo.get(context)
      : context;
  }

  /** Splits a new desired set by engine, and makes the lanes of contexts new to the watch. */
  private refresh(force = false): void {
    const snapshot = this.options.desired();
    if (snapshot === this.split.of && !force) return;
    const placed = this.place(snapshot);
    const byLane = new Map<string | undefined, EngineGroup>();
    const placedNow = new Map<ObjectKey, (string | undefined)[]>();
    const made: EngineLane[] = [];
    for (const group of placed ?? []) {
      const context = this.laneContext(group.context);
      const joined = byLane.get(context);
      byLane.set(context, {
        ...(context !== undefined ? { context } : {}),
        // A network both contexts' containers use is one object on their one engine.
        objects: [...new Set([...(joined?.objects ?? []), ...group.objects])],
      });
      for (const o of group.objects)
        placedNow.set(objectKey(o), [...(placedNow.get(objectKey(o)) ?? []), context]);
      if (group.context !== undefined && !this.others.has(group.context)) {
        const lane = this.options.makeLane(group.context);
        this.others.set(group.context, lane);
        made.push(lane);
      }
    }
    for (const [key, contexts] of placedNow) this.placedOn.set(key, contexts);
    const groups = placed ? [...byLane.values()] : [{ objects: [] }];
    const parts = new Map(groups.map((g) => [g.context, { ...snapshot, objects: g.objects }]));
    // A set that cannot be placed gives no lane any object and prunes nothing.
    const rest = { ...snapshot, objects: [], ...(placed ? {} : { prune: false }) };
    this.split = { of: snapshot, groups, parts, rest };
    for (const lane of made) this.options.onNewLane?.(lane);
  }

  /**
   * The set by engine; undefined when it cannot be placed. The store keeps only sets that
   * group (desired-store.ts); should one not, no object lands on another engine than its own.
   */
  private place(snapshot: DesiredSnapshot): EngineGroup[] | undefined {
    try {
      return groupByEngine(snapshot.objects, this.options.homeContext);
    } catch (e) {
      this.options.logger.warn({ err: (e as Error).message }, 'the desired set cannot be placed');
      return undefined;
    }
  }
}
