import { request, type ClientRequest } from 'node:http';
import { ENGINE_SOCKET } from './engine-http.js';

export interface EngineEvent {
  Type: string;
  Action: string;
  id?: string;
  Actor: { ID: string; Attributes: Record<string, string> };
}

export interface EventWaiter {
  /** Resolves with the hrtime (ms) at which the first matching event arrived. */
  arrived: Promise<number>;
  cancel(): void;
}

/** Monotonic milliseconds, comparable with EventWaiter.arrived. */
export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** An open subscription to the engine's event stream. */
export interface EventFollower {
  stop(): void;
}

/**
 * Subscribes to the engine's event stream with `filters` and calls `onEvent` with each event
 * and the hrtime (ms) its chunk arrived. Resolves once the subscription is open, so the caller
 * acts only after it can no longer miss an event. Counting live matters: the engine replays at
 * most its last 256 events for `since`/`until`, so a burst cannot be counted afterwards.
 */
export function followEvents(
  filters: Record<string, string[]>,
  onEvent: (e: EngineEvent, atMs: number) => void,
): Promise<EventFollower> {
  return new Promise((opened, failed) => {
    const req: ClientRequest = request(
      {
        socketPath: ENGINE_SOCKET,
        path: `/events?filters=${encodeURIComponent(JSON.stringify(filters))}`,
      },
      (res) => {
        let buffered = '';
        res.on('data', (chunk: Buffer) => {
          const at = nowMs();
          buffered += chunk.toString('utf8');
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines.filter(Boolean)) onEvent(JSON.parse(line) as EngineEvent, at);
        });
        res.on('error', () => undefined);
        opened({ stop: () => req.destroy() });
      },
    );
    req.on('error', failed);
    req.end();
  });
}

/**
 * Subscribes to the engine's event stream with `filters` and waits for the first event that
 * `match` accepts. Resolves once the subscription is open (see followEvents).
 */
export async function waitForEvent(
  filters: Record<string, string[]>,
  match: (e: EngineEvent) => boolean,
  timeoutMs: number,
): Promise<EventWaiter> {
  let settle: ((ms: number) => void) | undefined;
  let reject: ((e: Error) => void) | undefined;
  const arrived = new Promise<number>((res, rej) => {
    settle = res;
    reject = rej;
  });
  arrived.catch(() => undefined);
  let follower: EventFollower | undefined;
  let done = false;
  const timer = setTimeout(() => {
    reject?.(new Error(`no matching engine event within ${timeoutMs} ms`));
    cancel();
  }, timeoutMs);
  const cancel = () => {
    done = true;
    clearTimeout(timer);
    follower?.stop();
  };
  try {
    follower = await followEvents(filters, (e, at) => {
      if (done || !match(e)) return;
      settle?.(at);
      cancel();
    });
  } catch (e) {
    clearTimeout(timer);
    throw e;
  }
  if (done) follower.stop();
  return { arrived, cancel };
}
