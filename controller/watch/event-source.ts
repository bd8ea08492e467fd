import type { Kind, ObjectKey } from '../../specs/model.js';
import type { Engine, EngineEvent, ResourceNames } from '../engine/engine.js';
import { resourceOfEvent } from '../engine/event-scope.js';
import { ownedContainerName } from '../container-names.js';
import { LABEL } from '../labels.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import type { SourceItem, WorkSink, WorkSource } from './work-reason.js';

/** What an engine event asks of the controller: one object, a resync, or nothing. */
export type EventWork = { key: ObjectKey } | { resync: true } | undefined;

/**
 * Maps one engine event to the work it calls for, by what it changed (the adapter's
 * `change`, never the engine's action names): the key of the object concerned (labels on
 * containers; on networks and volumes, which carry none, the declared engine names of
 * `resources` or the `<project>-` name prefix: event-scope.ts), or a resync when the object
 * cannot be named (a container disconnected from a network: the event names it by id only).
 */
export function workForEvent(
  event: EngineEvent,
  project: string,
  resources?: () => ResourceNames,
): EventWork {
  if (!event.change) return undefined;
  if (event.type === 'container') {
    // Replica 1 answers to `<name>` or `<name>-1` by its engine name (container-names.ts).
    const name = ownedContainerName(event, project);
    if (!name) return undefined;
    return { key: `${(event.labels[LABEL.kind] ?? 'Container') as Kind}/${name}` };
  }
  const name = resourceOfEvent(event, { project, resources });
  if (name === undefined) return undefined;
  if (event.change === 'disconnected') return { resync: true };
  if (event.change !== 'removed') return undefined;
  return { key: `${event.type === 'network' ? 'Network' : 'Volume'}/${name}` };
}

export interface EventSourceOptions {
  engine: Engine;
  project: string;
  /** The project's declared networks and volumes as they are now (labels.ts declaredResourceNames). */
  resources?: () => ResourceNames;
  /** Whether the engine answered the last ping (for metrics and health). */
  onReachable: (reachable: boolean) => void;
  backoff?: BackoffPolicy;
}

/**
 * The engine's event stream as a work source: every event of the project is pushed (the
 * controller shows them all) with the object it concerns, if any. When the stream ends (the
 * engine went away) it pings with exponential back-off, subscribes again, and pushes a
 * resync, since events were lost meanwhile.
 */
export function engineEventSource(options: EventSourceOptions): WorkSource {
  const backoff = options.backoff ?? { baseMs: 250, maxMs: 10_000 };
  let stopped = false;
  let close: (() => void) | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });
  /** Every event is shown; one that concerns an object queues it, a disconnect resyncs. */
  const itemsOf = (event: EngineEvent): SourceItem[] => {
    const work = workForEvent(event, options.project, options.resources);
    const shown: SourceItem = {
      kind: 'engine-event',
      objectRef: work && 'key' in work ? work.key : undefined,
      action: event.action,
      change: event.change,
      event,
    };
    if (work && 'resync' in work) {
      const containerId = event.attributes?.container;
      return [
        shown,
        {
          kind: 'resync',
          trigger: 'network-disconnected',
          ...(containerId ? { containerId } : {}),
        },
      ];
    }
    return [shown];
  };

  const loop = async (sink: WorkSink) => {
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
      const scope = { project: options.project, resources: options.resources };
      const subscription = options.engine.subscribeEvents(scope, (event) => {
        for (const item of itemsOf(event)) void sink.push(item);
      });
      close = () => subscription.close();
      if (attempt > 0) void sink.push({ kind: 'resync', trigger: 'engine-reconnected' });
      await subscription.ended;
      if (stopped) return;
      attempt = 1;
    }
  };
  return {
    name: 'engine events',
    start(sink) {
      void loop(sink);
      return Promise.resolve();
    },
    stop() {
      stopped = true;
      close?.();
      wake?.();
      return Promise.resolve();
    },
  };
}
