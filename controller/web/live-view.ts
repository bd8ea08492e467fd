import { objectKey, type DesiredObject } from '../../specs/model.js';
import { StreamHub } from '../api/stream-hub.js';
import type { HistoryEntry } from '../records/record-types.js';
import type { ProjectStatus } from '../status/status-types.js';
import type { EventBus, WatchEvent } from '../watch/event-bus.js';
import { PlanTracker } from './plan-tracker.js';
import { toHistory, toProject, toRow } from './view-model.js';
import type { ViewAction, ViewEvent } from './view-types.js';

/** What the live view reads; `berth watch` supplies it from its controller. */
export interface LiveSource {
  bus: EventBus;
  /** A fresh status of the project (observes the engine). */
  status(): Promise<ProjectStatus>;
  /** The declared set as the controller holds it now. */
  desired(): DesiredObject[];
  /** The last applied set from the records (what runs); undefined when there is none. */
  applied(): Promise<DesiredObject[] | undefined>;
  /** The project's applies, newest first. */
  history(): Promise<HistoryEntry[]>;
  engineReachable(): boolean;
  /** How the page names the engine the watch runs against (its context, its address). */
  engine?: string;
  /** The actions this controller offers the page (empty when read-only). */
  actions(): ViewAction[];
}

/** Waits this long after an event before observing, so a burst costs one observation. */
const SETTLE_MS = 25;

/**
 * Keeps a StreamHub's view equal to the controller's world (issue 16): every bus event that
 * may change what the engine has schedules one fresh status (single flight, bursts folded
 * into the next run); changed rows go out one message each, rate-limited per object by the
 * hub. Engine events and reconciles go out at once as the object's recent events.
 */
export class LiveView {
  readonly hub: StreamHub;
  private readonly plan: PlanTracker;
  private readonly sentRows = new Map<string, string>();
  private readonly keyByEngine = new Map<string, string>();
  private sentHistory = '';
  private sentProject = '';
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Something changed while no page was subscribed: the next subscriber waits for a fresh view. */
  private stale = false;

  constructor(
    private readonly source: LiveSource,
    hub?: StreamHub,
    private readonly now: () => number = Date.now,
  ) {
    this.hub = hub ?? new StreamHub({ now });
    this.plan = new PlanTracker(now);
  }

  /** Subscribes to the controller's events and builds the first view. */
  async start(): Promise<void> {
    this.hub.publish({
      type: 'snapshot',
      snapshot: { ...this.hub.current().snapshot, actions: this.source.actions() },
    });
    this.unsubscribe = this.source.bus.subscribe((event) => this.onEvent(event));
    // A page that subscribes after changes nobody watched gets a snapshot taken after them.
    this.hub.onSubscribe(() => {
      if (!this.stale) return undefined;
      this.stale = false;
      return this.refresh();
    });
    await this.refresh();
  }

  stop(): void {
    this.unsubscribe?.();
    clearTimeout(this.timer);
    this.hub.close();
  }

  /** Observes now (or right after the observation under way) and publishes what changed. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.publishFresh().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.running;
  }

  private onEvent(event: WatchEvent): void {
    if (event.type === 'plan' || event.type === 'progress') {
      if (this.plan.onEvent(event)) this.publishPlan();
      return;
    }
    if (event.type === 'engine') {
      const key = this.keyByEngine.get(event.name);
      if (key) this.publishEvent(key, { time: event.time, source: 'engine', text: event.action });
    }
    if (event.type === 'reconcile' && event.steps.length > 0) {
      const text = `${event.steps.join(', ')}: ${event.outcome} (${event.cause})${event.message ? ` — ${event.message}` : ''}`;
      this.publishEvent(event.key, { time: event.time, source: 'berth', text });
    }
    this.schedule();
  }

  /**
   * A fresh status observes the engine and reads the records: with no page subscribed it
   * waits for the next subscriber (issue 11: < 2 % CPU under a restart storm, where events
   * come several times a second and nobody looks), which gets the snapshot and then the rows
   * that changed.
   */
  private schedule(): void {
    if (!this.hub.hasSubscribers()) {
      this.stale = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, SETTLE_MS);
    this.timer.unref();
  }

  private publishEvent(key: string, event: ViewEvent): void {
    this.hub.publish({ type: 'event', key, event });
  }

  private publishPlan(): void {
    this.hub.publish({ type: 'plan', steps: this.plan.steps() }, 'plan');
  }

  private async publishFresh(): Promise<void> {
    let status: ProjectStatus;
    try {
      status = await this.source.status();
    } catch {
      return this.publishProject({
        ...this.hub.current().snapshot.project,
        engineReachable: false,
      });
    }
    const [applied, history] = await Promise.all([
      this.source.applied().catch(() => undefined),
      this.source.history().catch(() => []),
    ]);
    this.publishRows(status, applied);
    this.publishProject(toProject(status, this.source.engineReachable(), this.source.engine));
    const pending = status.objects.flatMap((o) =>
      o.pendingSteps.map((s) => ({ key: o.key, ...s })),
    );
    if (this.plan.setPending(pending)) this.publishPlan();
    const historyText = JSON.stringify(history);
    if (historyText !== this.sentHistory) {
      this.sentHistory = historyText;
      this.hub.publish({ type: 'history', history: toHistory(history) }, 'history');
    }
  }

  private publishRows(status: ProjectStatus, applied: DesiredObject[] | undefined): void {
    const declared = new Map(this.source.desired().map((o) => [objectKey(o), o] as const));
    const appliedByKey = new Map((applied ?? []).map((o) => [objectKey(o), o] as const));
    const seen = new Set<string>();
    for (const object of status.objects) {
      seen.add(object.key);
      if (object.engineName) this.keyByEngine.set(object.engineName, object.key);
      if (object.id) this.keyByEngine.set(object.id, object.key);
      // Declarations are keyed `Kind/name`; the row of an object on another engine `…@context`.
      const declaredKey = objectKey(object);
      const row = toRow({
        status: object,
        declared: declared.get(declaredKey),
        applied: appliedByKey.get(declaredKey),
      });
      const text = JSON.stringify(row);
      if (this.sentRows.get(object.key) === text) continue;
      this.sentRows.set(object.key, text);
      this.hub.publish({ type: 'row', row }, `row:${object.key}`);
    }
    for (const key of [...this.sentRows.keys()].filter((k) => !seen.has(k))) {
      this.sentRows.delete(key);
      this.hub.publish({ type: 'remove', key }, `row:${key}`);
    }
  }

  private publishProject(project: ReturnType<typeof toProject>): void {
    const text = JSON.stringify(project);
    if (text === this.sentProject) return;
    this.sentProject = text;
    this.hub.publish({ type: 'project', project }, 'project');
  }
}
