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

/**
 * Subscribes to the engine's event stream with `filters` and waits for the first event that
 * `match` accepts. Resolves once the subscription is open, so the caller acts only after it
 * can no longer miss the event.
 */
export function waitForEvent(
  filters: Record<string, string[]>,
  match: (e: EngineEvent) => boolean,
  timeoutMs: number,
): Promise<EventWaiter> {
  return new Promise((opened, failed) => {
    let settle: ((ms: number) => void) | undefined;
    let reject: ((e: Error) => void) | undefined;
    const arrived = new Promise<number>((res, rej) => {
      settle = res;
      reject = rej;
    });
    // The timer and cancel run only after `req` below is assigned (callbacks, never inline).
    const timer = setTimeout(() => {
      reject?.(new Error(`no matching engine event within ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    const cancel = () => {
      clearTimeout(timer);
      req.destroy();
    };
    arrived.catch(() => undefined);
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
          for (const line of lines.filter(Boolean)) {
            if (match(JSON.parse(line) as EngineEvent)) {
              settle?.(at);
              cancel();
            }
          }
        });
        res.on('error', () => undefined);
        opened({ arrived, cancel });
      },
    );
    req.on('error', (e) => {
      clearTimeout(timer);
      failed(e);
    });
    req.end();
  });
}
