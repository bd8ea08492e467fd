import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NumberedMessage, StreamHub } from './stream-hub.js';

/** SSE keep-alive, so proxies and clients see the stream is still open. */
const KEEPALIVE_MS = 15_000;
/** What EventSource waits before it reconnects (the `retry:` field), in ms. */
const RETRY_MS = 1_000;

/**
 * `GET /api/v1/stream` (issue 16): server-sent events, each `data:` one StreamMessage as
 * JSON with its `id:`. The first is a snapshot, unless `Last-Event-ID` (header, or the
 * `lastEventId` query parameter) is still in the hub's buffer: then the missed changes.
 */
export function serveStream(req: IncomingMessage, res: ServerResponse, hub: StreamHub): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  // HEAD (a probe): the headers, then the end; a stream left open never answers (F347 a).
  if (req.method === 'HEAD') return void res.end();
  res.write(`retry: ${RETRY_MS}\n\n`);
  const send = ({ id, message }: NumberedMessage) => {
    res.write(`id: ${id}\ndata: ${JSON.stringify(message)}\n\n`);
  };
  const unsubscribe = hub.subscribe(send, lastEventId(req));
  const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
  req.on('close', () => {
    clearInterval(keepalive);
    unsubscribe();
  });
}

function lastEventId(req: IncomingMessage): number | undefined {
  const header = req.headers['last-event-id'];
  const query = new URL(req.url ?? '/', 'http://berth').searchParams.get('lastEventId');
  const text = (Array.isArray(header) ? header[0] : header) ?? query ?? undefined;
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}
