import type { StreamMessage } from '../view-types.js';

/** How long the page waits before it opens a new EventSource after one gave up. */
const REOPEN_MS = 1_000;

export interface StreamCallbacks {
  onMessage(message: StreamMessage): void;
  /** true when the stream is open, false while the controller is away. */
  onConnected(connected: boolean): void;
}

/**
 * Follows `GET /api/v1/stream`. EventSource reconnects by itself and sends `Last-Event-ID`;
 * when it gives up (an HTTP error while the controller restarts), a new one is opened with
 * the last id as `?lastEventId=` so the server can still replay or send a fresh snapshot.
 */
export function followStream(callbacks: StreamCallbacks): void {
  let lastId: string | undefined;
  const open = () => {
    const url = lastId
      ? `/api/v1/stream?lastEventId=${encodeURIComponent(lastId)}`
      : '/api/v1/stream';
    const source = new EventSource(url);
    source.onopen = () => callbacks.onConnected(true);
    source.onmessage = (e: MessageEvent<string>) => {
      if (e.lastEventId) lastId = e.lastEventId;
      callbacks.onMessage(JSON.parse(e.data) as StreamMessage);
    };
    source.onerror = () => {
      callbacks.onConnected(false);
      if (source.readyState === EventSource.CLOSED) setTimeout(open, REOPEN_MS);
    };
  };
  open();
}

/** Calls an action; resolves with the server's one-line answer or rejects with its error. */
export async function callAction(id: string, target?: string): Promise<string> {
  const csrf = document.querySelector<HTMLMetaElement>('meta[name="berth-csrf"]')?.content ?? '';
  const response = await fetch(`/api/v1/actions/${encodeURIComponent(id)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Berth-CSRF': csrf },
    body: JSON.stringify(target ? { target } : {}),
  });
  const body = (await response.json()) as { message?: string; error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body.message ?? 'done';
}
