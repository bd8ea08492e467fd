import type { ObjectKey } from '../../specs/model.js';

/**
 * Which objects wait for which other object under `berth watch` (issue 11, F24). A dependant
 * whose reconcile ended because something it waits for did not converge, or did not meet its
 * `dependsOn` condition, is parked on that object rather than backed off: waiting for
 * another object is not a failure of its own. When that object converges, starts or is
 * found in sync, its parked dependants are queued at once (as kubectl and Compose start a
 * dependant as soon as the condition holds). The per-key back-off stays for an object's
 * own failures.
 *
 * A dependency that became ready while a dependant's batch was still running (the engine's
 * `start` arrived mid-batch) is remembered, so parking afterwards does not miss the wake-up.
 */
export class DependencyWaits {
  /** Dependency → the dependants parked on it. */
  private readonly waiters = new Map<ObjectKey, Set<ObjectKey>>();
  /** Dependant → the dependency it is parked on. */
  private readonly parkedOn = new Map<ObjectKey, ObjectKey>();
  /** Dependency → Unix ms it last became ready (converged, started, found in sync). */
  private readonly readyAt = new Map<ObjectKey, number>();

  /**
   * Parks `dependant` on `dependency`, unless the dependency became ready at or after
   * `since` (when the dependant's reconcile began): then nothing is parked and false says
   * "queue it again now". Replaces whatever the dependant was parked on before.
   */
  park(dependant: ObjectKey, dependency: ObjectKey, since: number): boolean {
    this.unpark(dependant);
    if ((this.readyAt.get(dependency) ?? -Infinity) >= since) return false;
    this.attach(dependant, dependency);
    return true;
  }

  /** The dependant no longer waits (it ran again, or converged). */
  unpark(dependant: ObjectKey): void {
    const dependency = this.parkedOn.get(dependant);
    if (dependency === undefined) return;
    this.parkedOn.delete(dependant);
    const set = this.waiters.get(dependency);
    set?.delete(dependant);
    if (set?.size === 0) this.waiters.delete(dependency);
  }

  /**
   * `dependency` became ready at `at`: returns the dependants parked on it (sorted), which
   * are no longer parked; the caller queues them.
   */
  wake(dependency: ObjectKey, at: number): ObjectKey[] {
    this.readyAt.set(dependency, at);
    const woken = [...(this.waiters.get(dependency) ?? [])].sort();
    for (const dependant of woken) this.unpark(dependant);
    return woken;
  }

  /**
   * Takes in one reconcile batch begun at `since`: every object in `ran` is unparked, those
   * that ended waiting for another object are parked on it, and the `ready` objects (converged
   * or found in sync) wake their dependants, at `now`; a dependant parked by this very batch
   * stays parked (its dependency was ready, yet the condition was not met). Returns the
   * dependants to queue again now, each with the object it waited for.
   */
  settleBatch(
    ran: readonly { key: ObjectKey; waitingFor?: ObjectKey }[],
    ready: readonly ObjectKey[],
    since: number,
    now: number,
  ): { dependant: ObjectKey; of: ObjectKey }[] {
    for (const r of ran) this.unpark(r.key);
    const again: { dependant: ObjectKey; of: ObjectKey }[] = [];
    const parkedNow = new Set<ObjectKey>();
    for (const { key, waitingFor } of ran) {
      if (waitingFor === undefined) continue;
      if (this.park(key, waitingFor, since)) parkedNow.add(key);
      else again.push({ dependant: key, of: waitingFor });
    }
    for (const of of ready) {
      const woken = this.wake(of, now);
      for (const dependant of woken) {
        if (parkedNow.has(dependant)) this.attach(dependant, of);
        else again.push({ dependant, of });
      }
    }
    return again;
  }

  /** What `dependant` is parked on, if it is. */
  waitingOn(dependant: ObjectKey): ObjectKey | undefined {
    return this.parkedOn.get(dependant);
  }

  private attach(dependant: ObjectKey, dependency: ObjectKey): void {
    this.parkedOn.set(dependant, dependency);
    const set = this.waiters.get(dependency) ?? new Set<ObjectKey>();
    set.add(dependant);
    this.waiters.set(dependency, set);
  }
}
