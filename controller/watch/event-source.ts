import type { Kind, ObjectKey } from '../../specs/model.js';
import type { Engine, EngineEvent } from '../engine/engine.js';
import { LABEL } from '../labels.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';

/** Container actions that can leave a container other than declared. */
const CONTAINER_ACTIONS = new Set(['die', 'stop', 'kill', 'pause', 'unpause', 'destroy', 'oom']);

/** What an engine event asks of the controller. */
export type EventWork = { key: ObjectKey } | { resync: true } | undefined;

/**
 * Maps one engine event to the work it calls for: the key of the object concerned (labels
 * on containers, `<project>-` name prefix on networks and volumes), or a resync when the
 * object cannot be named (a container disconnected from a network by hand: the event names
 * the container by id only).
 */
export function workForEvent(event: EngineEvent, project: string): EventWork {
  if (event.type === 'container') {
    const relevant =
      CONTAINER_ACTIONS.has(event.action) || event.action.startsWith('health_status');
    const name = event.labels[LABEL.name];
    if (!relevant || !name) return undefined;
    return { key: `${(event.labels[LABEL.kind] ?? 'Container') as Kind}/${name}` };
  }
  if (event.type !== 'network' && event.type !== 'volume') return undefined;
  const prefix = `${project}-`;
  const engineName = event.name ?? '';
  if (!engineName.startsWith(prefix)) return undefined;
  if (event.type === 'network' && event.action === 'disconnect') return { resync: true };
  if (event.action !== 'destroy') return undefined;
  return {
    key: `${event.type === 'network' ? 'Network' : 'Volume'}/${engineName.slice(prefix.length)}`,
  };
}

export interface EventSourceOptions {
  engine: Engine;
  project: string;
  onEvent: (event: EngineEvent, work: EventWork) => void;
  /** The stream was opened again after it ended: events may have been lost. */
  onReconnect: () => void;
  onReachable: (reachable: boolean) => void;
  backoff?: BackoffPolicy;
}

/**
 * Follows the engine's event stream for the project until stopped. When the stream ends
 * (the engine went away), it pings with exponential back-off, subscribes again, and asks
 * for a full resync, since events were lost meanwhile.
 */
export function startEventSource(options: EventSourceOptions): { stop(): void } {
  const backoff = options.backoff ?? { baseMs: 250, maxMs: 10_000 };
  let stopped = false;
  let close: (() => void) | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });

  const loop = async () => {
    for (let attempt = 0; !stopped;) {
      if (attempt > 0) {
        await sleep(backoffDelay(backoff, attempt));
        if (stopped) return;
        const up = await options.engine.ping().then(
          () => true,
          () => false,
        );
        options.onReachable(up);
        if (!up) {
          attempt += 1;
          continue;
        }
      }
      const subscription = options.engine.subscribeEvents({ project: options.project }, (event) =>
        options.onEvent(event, workForEvent(event, options.project)),
      );
      close = () => subscription.close();
      if (attempt > 0) options.onReconnect();
      await subscription.ended;
      if (stopped) return;
      attempt = 1;
    }
  };
  void loop();
  return {
    stop() {
      stopped = true;
      close?.();
      wake?.();
    },
  };
}
