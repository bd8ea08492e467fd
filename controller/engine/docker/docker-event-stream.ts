import type Dockerode from 'dockerode';
import type { EngineEvent, EventSubscription, ObserveOptions } from '../engine.js';
import { eventInProject } from '../event-scope.js';
import { fromRawEvent, jsonLines } from './docker-events.js';
import type { DockerRawEvent } from './docker-events.js';

/**
 * Opens ONE `GET /events` stream for containers, networks and volumes. A label filter would
 * drop network and volume events (they carry no labels, ENGINE-NOTES), so the stream is
 * filtered by type only and the project is matched here. `ended` always resolves: when the
 * stream closes, breaks, cannot be opened, or `close()` is called. `extra` adds raw events
 * the engine does not send itself (docker-network-events.ts); it returns its own stop.
 */
export function subscribeDockerEvents(
  docker: Dockerode,
  options: ObserveOptions & { since?: number; until?: number },
  onEvent: (event: EngineEvent) => void,
  extra?: (deliver: (raw: DockerRawEvent) => void) => () => void,
): EventSubscription {
  let closed = false;
  let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  let stopExtra: () => void = () => undefined;
  let resolveEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const finish = () => (stopExtra(), resolveEnded());
  const deliver = (value: unknown) => {
    const event = fromRawEvent(value as DockerRawEvent);
    if (!event || closed || !eventInProject(event, options.project)) return;
    // `since` goes to the engine in whole seconds; drop what precedes it in ms.
    if (options.since !== undefined && event.time < options.since) return;
    onEvent(event);
  };

  const query: Record<string, unknown> = { filters: { type: ['container', 'network', 'volume'] } };
  if (options.since !== undefined) query.since = Math.floor(options.since / 1000);
  if (options.until !== undefined) query.until = Math.ceil(options.until / 1000);

  docker.getEvents(query).then(
    (s) => {
      stream = s as typeof stream;
      if (closed) return stopStream(stream);
      const lines = jsonLines(deliver);
      if (extra) stopExtra = extra(deliver);
      s.on('data', (chunk: Buffer | string) => lines.push(chunk));
      s.on('end', () => (lines.end(), finish()));
      s.on('close', () => finish());
      s.on('error', () => finish());
    },
    () => finish(),
  );

  return {
    ended,
    close() {
      if (closed) return;
      closed = true;
      stopStream(stream);
      finish();
    },
  };
}

function stopStream(stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined): void {
  stream?.destroy?.();
}
