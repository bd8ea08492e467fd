/** What the controller tells API clients (`GET /api/v1/events`) as it works. */
export type WatchEvent =
  | {
      type: 'reconcile';
      key: string;
      cause: string;
      outcome: string;
      steps: string[];
      durationMs: number;
      message?: string;
      time: number;
    }
  | { type: 'engine'; action: string; kind: string; name: string; time: number }
  /**
   * The desired set was read: keys that changed, its problems, and its warnings (F291: said
   * when the set or they change; `[]` when they have cleared or there are none).
   */
  | { type: 'desired'; changed: string[]; problems: string[]; warnings: string[]; time: number }
  | { type: 'resync'; cause: string; queued: string[]; time: number }
  /** The project was held (`by`: berth hold, web view, rollback to ID) or released. */
  | { type: 'hold'; held: boolean; by: string; time: number }
  /** An apply (a revision the controller converged to, or a rollback) was recorded in history. */
  | { type: 'history'; id: string; outcome: string; message: string; time: number }
  /** The steps one batch is about to run, in plan order (before any of them runs). */
  | { type: 'plan'; steps: { key: string; action: string; cause: string }[]; time: number }
  /** One object of the running batch moved on (execute's progress: op = the step now running). */
  | {
      type: 'progress';
      key: string;
      phase: string;
      op?: string;
      message?: string;
      /** For op `gate`: Unix ms by which the new container must pass its health gate. */
      deadline?: number;
      time: number;
    };

export type WatchEventListener = (event: WatchEvent) => void;

/** Fan-out of controller events to any number of listeners; a failing listener is dropped. */
export class EventBus {
  private readonly listeners = new Set<WatchEventListener>();

  subscribe(listener: WatchEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: WatchEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed socket) must never stop the controller.
        this.listeners.delete(listener);
      }
    }
  }
}
