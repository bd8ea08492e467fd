import type Dockerode from 'dockerode';
import { LABEL } from '../../labels.js';
import type { EngineEvent, EventOptions, EventSubscription } from '../engine.js';
import { eventInProject } from '../event-scope.js';
import { fromRawEvent, jsonLines } from './docker-events.js';
import type { DockerRawEvent } from './docker-events.js';

type EventStream = NodeJS.ReadableStream & { destroy?: () => void };

/**
 * Opens two `GET /events` streams: container events filtered at the engine by the project's
 * label (`berth.project=P`; any berth container without a project), so an idle `berth watch`
 * is not woken by other projects' containers (issue 18), and network and volume events by
 * type only — they carry no labels (ENGINE-NOTES) and are matched here by the `<project>-`
 * name prefix or the declared names of `options.resources`. Every event is still matched
 * here too (`eventInProject`). Following, `ended` resolves when either stream closes, breaks
 * or cannot be opened (the caller resyncs and subscribes again; the other stream is closed);
 * a replay (`until`) ends when both did.
 * `close()` ends both, also a request whose answer has not begun. `extra` adds raw events the
 * engine does not send itself (docker-network-events.ts); it returns its own stop. `podman`:
 * the engine is Podman, whose replay of the past needs asking differently (see below).
 */
export function subscribeDockerEvents(
  docker: Dockerode,
  options: EventOptions,
  onEvent: (event: EngineEvent) => void,
  extra?: (deliver: (raw: DockerRawEvent) => void) => () => void,
  podman = false,
): EventSubscription {
  let closed = false;
  const streams: (EventStream | undefined)[] = [];
  // Aborts a `GET /events` still waiting for its answer's headers: the engine sends them at
  // once, but a proxy may hold them until the first event (the bench's and many socket
  // proxies do), and an open request keeps the CLI's process alive after its work is done.
  const pending = new AbortController();
  let stopExtra: () => void = () => undefined;
  let resolveEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const finish = () => {
    if (!closed) close();
    stopExtra();
    resolveEnded();
  };
  const close = () => {
    closed = true;
    pending.abort();
    for (const s of streams) s?.destroy?.();
  };
  const window: Record<string, unknown> = {};
  if (options.since !== undefined) window.since = Math.floor(options.since / 1000);
  if (options.until !== undefined) window.until = Math.ceil(options.until / 1000);
  // Podman 4.3 ends a replay whose `until` is already past after its first event (seen:
  // one of five logged events): it is asked for what is logged so far (`stream=false`)
  // instead, and `deliver` drops what came after `until`.
  const snapshotUntil =
    podman && options.until !== undefined && options.until <= Date.now()
      ? options.until
      : undefined;
  if (snapshotUntil !== undefined) {
    delete window.until;
    window.stream = false;
  }
  const deliver = (value: unknown) => {
    const event = fromRawEvent(value as DockerRawEvent);
    if (!event || closed || !eventInProject(event, options)) return;
    // `since` goes to the engine in whole seconds; drop what precedes it in ms.
    if (options.since !== undefined && event.time < options.since) return;
    if (snapshotUntil !== undefined && event.time > snapshotUntil) return;
    onEvent(event);
  };

  const owner =
    options.project === undefined ? LABEL.project : `${LABEL.project}=${options.project}`;
  const filters: { type: ('container' | 'network' | 'volume')[]; label?: string[] }[] = [
    { type: ['container'], label: [owner] },
    { type: ['network', 'volume'] },
  ];
  const replay = options.until !== undefined;
  const done = filters.map(
    (f, i) =>
      new Promise<void>((streamEnded) => {
        docker.getEvents({ ...window, filters: f, abortSignal: pending.signal }).then(
          (s) => {
            const stream = s as EventStream;
            streams[i] = stream;
            if (closed) return (stream.destroy?.(), streamEnded());
            const lines = jsonLines(deliver);
            if (extra && f.type.includes('network')) stopExtra = extra(deliver);
            s.on('data', (chunk: Buffer | string) => lines.push(chunk));
            s.on('end', () => (lines.end(), streamEnded()));
            s.on('close', () => streamEnded());
            s.on('error', () => streamEnded());
          },
          () => streamEnded(),
        );
      }),
  );
  void (replay ? Promise.all(done) : Promise.race(done)).then(finish);

  return {
    ended,
    close() {
      if (closed) return;
      close();
      finish();
    },
  };
}

/**
 * The window to follow Podman's events with. Podman 4.3 (file events log) starts reading its
 * log up to about a second after `GET /events` arrives, and never sends what was logged in
 * between (seen: a container created and started right after the request went unreported,
 * its `start` and `die` too; streams-attach's "exited with code 3"). A follow without
 * `since` on Podman therefore asks for the events since `subscribedAt` — when berth asked,
 * before its client and engine check were even loaded — which Podman replays from its log
 * (the stream drops what precedes it to the ms). Docker, a replay (`until`) and a caller's
 * own `since` are left as they are. Pure.
 */
export function podmanFollowWindow(
  options: EventOptions,
  podman: boolean,
  subscribedAt: number,
): EventOptions {
  if (!podman || options.since !== undefined || options.until !== undefined) return options;
  return { ...options, since: subscribedAt };
}
