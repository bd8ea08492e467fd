import { recoverFileValues } from '../executor/file-value-recovery.js';
import { laterRun, type RanEffect, type RanTally } from '../executor/ran-summary.js';
import { objectKey, type ObjectKey } from '../../specs/model.js';
import { formatProblem } from '../../specs/problems.js';
import type { AppliedStep, HistoryEntry } from '../records/record-types.js';
import { holdProject, readHold, releaseProject, type ProjectHold } from '../records/hold.js';
import { applyId, readHistory, readLastApplied, recordApply } from '../records/records.js';
import { imagesOfSet, keptImagesOf, pinnedImages } from '../records/image-history.js';
import { applyStamp } from '../labels.js';
import type { CrashLoopTracker } from './backoff.js';
import { changeRecord, entryOrigin, revisionOrigin, type SettledChange } from './change-record.js';
import type { DesiredSnapshot, DesiredStore } from './desired-store.js';
import { ManifestWarnings } from './manifest-warnings.js';
import type { EventBus } from './event-bus.js';
import type { WatchOptions } from './watch-options.js';
import type { EngineLanes } from './engine-lanes.js';
import type { ResyncTrigger, WorkReason } from './work-reason.js';

/** What taking in a revision reads and where it puts the keys that changed. */
export interface RevisionDeps {
  options: WatchOptions;
  store: DesiredStore;
  bus: EventBus;
  /** Where changed keys are queued: the lane of each key's engine. */
  queue: Pick<EngineLanes, 'add' | 'whenIdle'>;
  crashLoop: CrashLoopTracker;
  requestResync: (trigger: ResyncTrigger) => Promise<void>;
  now: () => number;
  /** Every engine answered its last call (metrics.ts); a change is not settled while one is away. */
  reachable?: () => boolean;
}

/** A rollback taken in: the keys whose declaration changed, and its history entry once settled. */
export interface RollbackStarted {
  changed: ObjectKey[];
  settled: Promise<HistoryEntry | undefined>;
}

/** How often a change waiting to be recorded looks whether the engine is back. */
const UNREACHABLE_RECHECK_MS = 1_000;

/**
 * The revisions of the desired set the controller converges to: each reload of the source
 * (unless `berth hold` holds the project), a rollback to an earlier apply, and the history
 * entry of each once the queue has worked it off. Holds the labels of the current revision
 * and the image ids history keeps.
 */
export class Revisions {
  /** A reload was skipped under a hold: the first one after release reads everything. */
  private heldBack = false;
  /** The store holds a set: a folder read, a rollback, or what was applied (held at start). */
  private loaded = false;
  /** Labels for containers created now: the current revision's apply id and commit. */
  private currentStamp: Record<string, string> | undefined;
  /** Image ids the applies in history ran on (kept by retention); undefined: unknown, keep all. */
  private kept: Set<string> | undefined;
  /** Per change still settling: what the runs since it was taken in did to each object. */
  private readonly tallies = new Set<Map<ObjectKey, RanTally>>();
  /** The commit of the set the controller converges to (the last apply's); see {@link applied}. */
  private appliedCommit: string | undefined;
  /** The desired snapshot a failed update was last held back from (one rollback per snapshot). */
  private failedUpdateHeld: DesiredSnapshot | undefined;
  /** The set's warnings, said once per change (F291). */
  private readonly warnings = new ManifestWarnings();

  constructor(private readonly deps: RevisionDeps) {}

  /** Labels for containers created now: the current revision's apply id and commit. */
  stamp(): Record<string, string> | undefined {
    return this.currentStamp;
  }

  /** Image ids history keeps (built images outside it are removed); undefined: keep all. */
  keptImages(): Set<string> | undefined {
    return this.kept;
  }

  /**
   * The git commit whose set the controller converges to: the last revision taken in that
   * changed the set, or the rollback's (F35: a revision it refused, or one that changed
   * nothing, is not it). Before any, the project's last apply on record.
   */
  applied(): string | undefined {
    return this.appliedCommit;
  }

  /** Reads the last apply's commit from history (at start, before any revision). */
  async loadApplied(): Promise<void> {
    const { stateDir, project } = this.deps.options;
    const history = stateDir ? await readHistory(stateDir, project) : undefined;
    const last = history?.ok ? history.value.find((e) => e.objects) : undefined;
    this.appliedCommit = last?.commit || undefined;
  }

  /** One reconcile of `key` did `effect` by `steps`: counted for every change still settling. */
  noteRan(key: ObjectKey, effect: RanEffect, steps: AppliedStep[] = []): void {
    for (const tally of this.tallies) tally.set(key, laterRun(tally.get(key), effect, steps));
  }

  /** Re-reads the folder and queues the keys whose declaration changed, ahead of any back-off. */
  async reloadFolder(
    options: { ifChanged?: boolean } = {},
    reason: WorkReason = { kind: 'manifest-changed', paths: [this.deps.options.dir] },
  ): Promise<void> {
    const { store, bus, queue, crashLoop, now } = this.deps;
    const { stateDir, project, logger, dir } = this.deps.options;
    // `berth hold`: no new revision is applied until release; drift is still repaired.
    const hold = stateDir ? await readHold(stateDir, project) : undefined;
    if (hold && !(await this.newRevisionEnds(hold, reason))) {
      if (!this.heldBack) bus.publish({ type: 'hold', held: true, by: hold.by, time: now() });
      this.heldBack = true;
      if (!this.loaded) await this.startFromApplied(hold);
      return;
    }
    if (this.heldBack) {
      // Released: whatever the source says now is read in full.
      options = {};
      bus.publish({ type: 'hold', held: false, by: 'release', time: now() });
    }
    this.heldBack = false;
    this.loaded = true;
    const { changed, snapshot } = await store.reload(options);
    const problems = snapshot.problems.map(formatProblem);
    if (problems.length)
      logger.warn({ problems, notice: snapshot.notice }, 'manifests have problems');
    else if (snapshot.notice) logger.warn({ notice: snapshot.notice }, 'desired set kept');
    const warnings = this.warnings.toSay(snapshot, changed.length > 0);
    if (warnings?.length) logger.warn({ warnings }, 'manifests have warnings');
    if (changed.length || problems.length || warnings)
      bus.publish({ type: 'desired', changed, problems, warnings: warnings ?? [], time: now() });
    for (const key of changed) {
      crashLoop.forget(key);
      queue.add(key, reason, { supersede: true });
    }
    if (changed.length) {
      // One apply per revision: its id (and commit) label the containers created for it.
      const time = now();
      const from = this.deps.options.origin?.() ?? { sources: [dir] };
      this.currentStamp = applyStamp(applyId(time), from.commit?.sha);
      this.appliedCommit = from.commit?.sha;
      const { objects, prune } = snapshot;
      const message = 'applied by berth watch';
      const origin = revisionOrigin(from);
      const change = { changed, objects, time, from: origin, message, prune, repeatable: true };
      void this.recordWhenSettled(change);
    }
  }

  /**
   * Rolls the project back to an earlier apply under watch (DESIGN.md "Updates and
   * rollback"): holds the project at the current source revision, converges to that apply's
   * desired set on its exact images (refs tagged back, never rebuilt) through the update path,
   * and records it in history. A new source revision or `release` ends the hold. Returns the
   * keys whose declaration changed, and `settled`: the history entry once the queue has
   * worked the rollback off.
   */
  async rollbackTo(
    entry: HistoryEntry,
    why?: { reason: string; failedUpdate: ObjectKey },
  ): Promise<RollbackStarted> {
    const { store, bus, queue, crashLoop } = this.deps;
    const { stateDir, project } = this.deps.options;
    const time = this.deps.now();
    const by = why ? `${why.reason}: rolled back to ${entry.id}` : `rollback to ${entry.id}`;
    // Secret and Config values are never recorded: found again (or refused) before any change.
    if (stateDir) await recoverFileValues(stateDir, project, entry.objects ?? []);
    if (stateDir)
      await holdProject(stateDir, project, by, time, await this.revision(), why?.failedUpdate);
    bus.publish({ type: 'hold', held: true, by, time });
    // Whatever the folder says when the hold ends is read in full then.
    this.heldBack = true;
    this.loaded = true;
    const objects = entry.objects ?? [];
    const notice = `rolled back to apply ${entry.id}`;
    const changed = store.pin(objects, pinnedImages(entry), notice);
    bus.publish({ type: 'desired', changed, problems: [], warnings: [], time });
    this.currentStamp = applyStamp(applyId(time), entry.commit);
    this.appliedCommit = entry.commit;
    for (const key of changed) crashLoop.forget(key);
    // Every object: an image tagged back changes containers whose declaration did not.
    for (const o of objects)
      queue.add(objectKey(o), { kind: 'requested', action: 'rollback' }, { supersede: true });
    void this.deps.requestResync('requested');
    const from = entryOrigin(entry);
    const settled = this.recordWhenSettled({ changed, objects, time, from, message: by });
    return { changed, settled };
  }

  /**
   * An update of `key` failed its gate and was rolled back on the engine (the old container
   * runs on). As an automatic rollback (DESIGN.md "Updates and rollback": in watch, a rollback
   * holds the project at that apply until release or a new source revision arrives), the
   * controller goes back to the newest apply that converged and holds there: the failing update is not tried again until the
   * source changes or `berth release` (F113: it was retried forever, a stop-first one taking
   * the running container down each time, even under `berth hold`). Without such an apply on
   * record (no history) the key is only logged; the queue's back-off applies as before.
   * One at a time: a second failure while one is being held is already covered.
   */
  async holdAfterFailedUpdate(key: ObjectKey, message: string): Promise<void> {
    const { stateDir, project, logger } = this.deps.options;
    const failing = this.deps.store.snapshot();
    if (this.failedUpdateHeld === failing) return;
    this.failedUpdateHeld = failing;
    const history = stateDir ? await readHistory(stateDir, project) : undefined;
    const entries = history?.ok ? history.value : [];
    // The failing revision is recorded once the queue is idle: the newest converged apply
    // on record is the last good state, its images pinned (an image-only update too).
    const target = entries.find((e) => e.outcome === 'converged' && e.objects?.length);
    if (!target) {
      logger.warn({ key, message }, 'update failed; no earlier converged apply to hold to');
      return;
    }
    logger.warn({ key, message, to: target.id }, 'update failed: holding at the last good apply');
    // Why it failed goes into the hold's reason, so status, the API and history say it (F162).
    await this.rollbackTo(target, {
      reason: `update of ${key} failed (${brief(message)})`,
      failedUpdate: key,
    });
  }

  /**
   * A hold found before the controller read any source (taken while no controller ran): the
   * set it converges to is the one last applied (the records), so drift is repaired to what
   * runs and nothing of the source's newer revision is applied until release. Without a
   * record of an apply there is nothing to hold to: the set stays empty (nothing pruned).
   */
  private async startFromApplied(hold: ProjectHold): Promise<void> {
    const { stateDir, project, logger } = this.deps.options;
    const applied = stateDir ? await readLastApplied(stateDir, project) : undefined;
    if (!applied?.ok) {
      logger.warn(
        { hold: hold.by },
        'held at start with no applied set on record: nothing to converge to',
      );
      return;
    }
    const since = new Date(applied.value.time).toISOString();
    this.deps.store.pin(applied.value.objects, new Map(), `held at the set applied ${since}`);
    this.loaded = true;
  }

  /** The source's revision now: the git source's commit, else the folder's fingerprint. */
  private async revision(): Promise<string> {
    return this.deps.options.origin?.().commit?.sha ?? (await this.deps.store.revision());
  }

  /**
   * A rollback's hold ends once another source revision is there, `berth hold`'s never. A
   * saved file the manifests name (a Dockerfile, a Secret's file) is a new revision too: the
   * folder's fingerprint counts manifests only (F801: a Dockerfile fix rebuilt nothing).
   */
  private async newRevisionEnds(hold: ProjectHold, reason: WorkReason): Promise<boolean> {
    if (hold.revision === undefined) return false;
    const referenced = reason.kind === 'manifest-changed' && reason.referenced === true;
    if (!referenced && hold.revision === (await this.revision())) return false;
    const { stateDir, project, logger } = this.deps.options;
    await releaseProject(stateDir!, project);
    logger.info(
      { hold: hold.by, ...(referenced ? { changed: reason.paths } : {}) },
      'a new source revision ends the hold',
    );
    const time = this.deps.now();
    this.deps.bus.publish({ type: 'hold', held: false, by: 'a new source revision', time });
    return true;
  }

  /** Reads the image ids history keeps again (at start, and after each recorded change). */
  async refreshKeptImages(): Promise<void> {
    const { stateDir, project } = this.deps.options;
    this.kept = stateDir ? await keptImagesOf(stateDir, project) : undefined;
  }

  /**
   * Records a change of the folder in the project's history once the queue has worked it
   * off, so `berth history`, and `status` without a controller, see what watch applied.
   */
  private async recordWhenSettled(change: SettledChange): Promise<HistoryEntry | undefined> {
    const { stateDir, project, logger, engine } = this.deps.options;
    const { queue, bus, now } = this.deps;
    if (!stateDir) return undefined;
    const tally = new Map<ObjectKey, RanTally>();
    this.tallies.add(tally);
    await queue.whenIdle();
    // An idle queue with an engine away is no convergence: nothing could run (F143: the change
    // was recorded as converged in 2 ms and became the last applied set). Wait for the engine,
    // and for the work its return brings, before the change is on record.
    while (this.deps.reachable && !this.deps.reachable()) {
      await new Promise((r) => setTimeout(r, UNREACHABLE_RECHECK_MS).unref());
      await queue.whenIdle();
    }
    this.tallies.delete(tally);
    const images = await imagesOfSet(engine, change.objects);
    const record = changeRecord(change, tally, now(), images);
    const entry = await recordApply(stateDir, project, record).catch((e: Error) =>
      logger.warn({ err: e.message }, 'could not record the change'),
    );
    if (entry) {
      const { id = '', outcome, message = '' } = entry;
      bus.publish({ type: 'history', id, outcome, message, time: now() });
    }
    const before = this.kept;
    await this.refreshKeptImages();
    // An image no apply in history uses any more is retired now, not at some later change.
    if (before && [...before].some((id) => !this.kept?.has(id)))
      void this.deps.requestResync('requested');
    return entry || undefined;
  }
}

/** A failure message on one line and at most 200 characters, for a hold's reason. */
function brief(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
