import Dockerode from 'dockerode';
import { dockerOptions } from '../../controller/engine/docker/docker-connect.js';
import { subscribeDockerEvents } from '../../controller/engine/docker/docker-event-stream.js';
import {
  withPodmanVerdict,
  type HealthInspect,
} from '../../controller/engine/docker/docker-podman-health.js';
import { resolveEngineAddress } from '../../controller/engine/docker/engine-address.js';
import type { EngineEvent } from '../../controller/engine/engine.js';
import { ENGINE_HOST } from './engine.js';

/**
 * One container event of the engine, in Docker's words whatever the engine: `action` as
 * Docker names it (`create`, `start`, `die`, `rename`, `destroy`, `health_status: healthy`…),
 * the container's `id` and its `name` at the time of the event.
 */
export interface RecordedEvent {
  action: string;
  id: string;
  name: string;
}

/**
 * Records a project's container events live, from now on, read from the engine under test's
 * `GET /events` (not `docker events`, whose template reaches only Docker's fields). A replay
 * with `since` comes from Docker's buffer of the last 256 events of the whole engine: under a
 * loaded test run an update's first events were already gone (ENGINE-NOTES).
 * Podman's differences are evened out as berth's adapter does (ENGINE-NOTES, "Podman"): a
 * removal (`remove`) is `destroy`, and its bare `health_status` (whose `HealthStatus` is the
 * verdict from before the check) becomes `health_status: <verdict>` with the verdict read
 * from the container when the event arrives; the event keeps its place in the order.
 * `onEvent` sees each event as it arrives (a health event once its verdict is read).
 * Podman runs no healthcheck by itself: health events come only while something runs the
 * checks (berth does while it waits on a gate).
 */
export function recordEvents(
  project: string,
  onEvent?: (event: RecordedEvent) => void,
): { ready: Promise<void>; stop: () => Promise<RecordedEvent[]> } {
  const docker = new Dockerode(dockerOptions(resolveEngineAddress(ENGINE_HOST, {})));
  const events: RecordedEvent[] = [];
  const verdicts: Promise<void>[] = [];
  const inspect = (id: string) =>
    docker.getContainer(id).inspect() as unknown as Promise<HealthInspect>;
  const record = (event: EngineEvent) => {
    if (event.type !== 'container') return;
    const recorded = { action: event.action, id: event.id, name: event.name ?? '' };
    events.push(recorded);
    if (event.action !== 'health_status') return onEvent?.(recorded);
    verdicts.push(
      withPodmanVerdict(event, inspect).then((withVerdict) => {
        recorded.action = withVerdict?.action ?? 'health_status: gone';
        onEvent?.(recorded);
      }),
    );
  };
  const subscription = subscribeDockerEvents(docker, { project }, record);
  // The engine answers a subscription's headers at once; half a second covers the request.
  const ready = new Promise<void>((resolve) => setTimeout(resolve, 500));
  const stop = async (): Promise<RecordedEvent[]> => {
    // Events of the last steps are delivered within milliseconds; wait a little for them.
    await new Promise((r) => setTimeout(r, 1_000));
    subscription.close();
    await Promise.all(verdicts);
    return events;
  };
  return { ready, stop };
}

/** `action id name` of each event, one a line: a test's failure message. */
export function eventLines(events: RecordedEvent[]): string {
  return events.map((e) => `${e.action} ${e.id.slice(0, 12)} ${e.name}`).join('\n');
}
