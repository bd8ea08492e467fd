import type { ObjectKey } from '../../specs/model.js';

/**
 * The restarts a person asked for that the controller is performing now (`berth restart`
 * through the control API, the web view's Restart; F154). While one runs, the container's
 * `kill`, `die` and `stop` events are the restart's own, not a crash: the reconciler leaves
 * the key alone (no restart of its own, nothing counted towards CrashLoopBackOff), and the
 * key is looked at again once the restart is over.
 */
export class RequestedRestarts {
  /** Key → restarts of it under way (two requests may overlap). */
  private readonly running = new Map<ObjectKey, number>();

  /**
   * Runs `restart` for `key`, marked as requested while it runs; `after` is called once it
   * ended, however it ended (the caller queues the key again). Resolves or rejects as
   * `restart` does.
   */
  async perform<T>(key: ObjectKey, restart: () => Promise<T>, after: () => void): Promise<T> {
    this.running.set(key, (this.running.get(key) ?? 0) + 1);
    try {
      return await restart();
    } finally {
      const left = (this.running.get(key) ?? 1) - 1;
      if (left > 0) this.running.set(key, left);
      else this.running.delete(key);
      after();
    }
  }

  /** Whether a requested restart of `key` is under way. */
  active(key: ObjectKey): boolean {
    return this.running.has(key);
  }
}
