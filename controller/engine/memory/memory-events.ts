import type { EngineEvent, EventOptions, EventSubscription } from '../engine.js';
import { eventInProject } from '../event-scope.js';
import type { MemoryWorld } from './memory-world.js';

/**
 * `Engine.subscribeEvents` on the in-memory world: replays the world's history from
 * `options.since` (to `options.until`, then ends), else follows new events until closed.
 * Replayed events arrive after this returns, as a stream's first chunk would.
 */
export function subscribeWorld(
  world: MemoryWorld,
  options: EventOptions,
  onEvent: (event: EngineEvent) => void,
): EventSubscription {
  let finish: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  let closed = false;
  const subscriber = { options, onEvent: (e: EngineEvent) => !closed && onEvent(e) };
  const { since, until } = options;
  const past =
    since === undefined
      ? []
      : world.history.filter((e) => e.time >= since && (until === undefined || e.time <= until));
  if (until === undefined) world.subscribers.add(subscriber);
  // Delivered after subscribe returns, as a stream's first chunk would be.
  queueMicrotask(() => {
    for (const e of past) if (eventInProject(e, options)) subscriber.onEvent(e);
    if (until !== undefined) finish();
  });
  return {
    ended,
    close: () => {
      closed = true;
      world.subscribers.delete(subscriber);
      finish();
    },
  };
}
