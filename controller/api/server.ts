import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { KINDS } from '../../specs/model.js';
import { BerthError, toBerthError } from '../errors.js';
import type { ProjectStatus } from '../status/status-types.js';
import type { EventBus } from '../watch/event-bus.js';
import type { LiveView } from '../web/live-view.js';
import { handleAction, handleControl, type ActionTable, type ControlTable } from './actions.js';
import { authorised, hostAllowed } from './auth.js';
import { formatAuthority, isLoopback, parseListenAddress } from './listen-address.js';
import { acceptTokenQuery, handleWebRoute, type WebContext } from './web-routes.js';

/** What the API serves; the controller supplies it, the server knows nothing else. */
export interface ApiSource {
  /** A fresh status of the project (observes the engine). */
  status(): Promise<ProjectStatus>;
  /** The controller's own state for /healthz. */
  health(): Record<string, unknown>;
  /** Prometheus text. */
  metrics(): string;
  bus: EventBus;
  /**
   * `POST /api/v1/webhook` (git source only): given the request headers and body, answers
   * the HTTP status — 202 when the signature is good and a check was started, 401 otherwise.
   * Absent: the route answers 404, with `webhookOff` as the reason when there is one.
   */
  webhook?: (headers: IncomingMessage['headers'], body: Buffer) => number;
  /** Why a git source has no webhook (it was started without a secret), for the 404's error. */
  webhookOff?: string;
  /** The web view's live state (issue 16); without it `/` and /api/v1/stream answer 404. */
  live?: { view: LiveView; project: string };
  /** Actions the page may call (`--ui-actions`); empty or absent: read-only. */
  actions?: ActionTable;
  /** What the local CLI may ask for (`POST /api/v1/control/ID`); absent: the route answers 404. */
  control?: ControlTable;
}

/** Webhook bodies beyond this are refused (a push event is a few hundred KiB at most). */
const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

export interface ApiServer {
  /** The address actually bound (`127.0.0.1:PORT`). */
  address: string;
  close(): Promise<void>;
}

/** SSE keep-alive, so proxies and clients see the stream is still open. */
const KEEPALIVE_MS = 15_000;

/**
 * The status API of `berth watch` (DESIGN.md): GET /healthz, /api/v1/status,
 * /api/v1/objects/KIND/NAME, /api/v1/events (server-sent events), /metrics; with a live view
 * also the web view's `/`, /assets/*, /api/v1/stream and `POST /api/v1/actions/ID`. A
 * non-loopback address refuses to start without a token; with a token, every route but
 * /healthz needs `Authorization: Bearer TOKEN` or the page's cookie (401 otherwise). On
 * loopback, a request for another host name is refused (DNS rebinding).
 */
export async function startApiServer(
  listen: string,
  token: string | undefined,
  source: ApiSource,
): Promise<ApiServer> {
  const address = parseListenAddress(listen);
  if (!isLoopback(address.host) && !token) {
    throw new BerthError(
      'E_USAGE',
      `--listen ${listen} is reachable from other machines; it needs --token`,
      {
        hint: 'pass --token T (clients send Authorization: Bearer T), or listen on 127.0.0.1',
      },
    );
  }
  const web: WebContext | undefined = source.live && {
    hub: source.live.view.hub,
    project: source.live.project,
    csrf: randomBytes(24).toString('base64url'),
  };
  const server = createServer((req, res) => {
    handle(req, res, { token, source, web, listenHost: address.host }).catch((e: unknown) => {
      // The engine away (F143): the controller is fine, what it serves from is not, as a
      // proxy answers 503 for a backend that is down; the code lets a client tell which.
      const err = toBerthError(e);
      if (err.code === 'E_ENGINE_UNREACHABLE')
        return sendJson(res, 503, { error: err.message, code: err.code });
      return sendJson(res, 500, { error: err.message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new BerthError('E_USAGE', `cannot listen on ${listen}: ${e.code ?? e.message}`)),
    );
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : address.port;
  return {
    address: formatAuthority({ host: address.host, port }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams never end by themselves.
        server.closeAllConnections();
      }),
  };
}

interface Served {
  token: string | undefined;
  source: ApiSource;
  web: WebContext | undefined;
  listenHost: string;
}

async function handle(req: IncomingMessage, res: ServerResponse, served: Served): Promise<void> {
  const { token, source, web } = served;
  const path = new URL(req.url ?? '/', 'http://berth').pathname;
  // The webhook proves itself with its signature, not with the bearer token.
  if (path === '/api/v1/webhook' && req.method === 'POST') return webhook(req, res, source);
  if (!hostAllowed(req, served.listenHost))
    return sendJson(res, 403, { error: `host ${req.headers.host} is not this machine` });
  // Liveness needs no token; what the controller runs (project, engine address) does (F161).
  // RFC 9110 §9.1: a general-purpose server takes HEAD wherever it takes GET (uptime checkers
  // and load balancers probe with it, F279 a); Node sends a HEAD answer's headers only.
  const reads = req.method === 'GET' || req.method === 'HEAD';
  if (path === '/healthz' && reads)
    return sendJson(res, 200, {
      ok: true,
      ...(!token || authorised(req, token) ? source.health() : {}),
    });
  // The local CLI proves itself with the key from the lock file, not with the bearer token.
  const control = /^\/api\/v1\/control\/([a-z-]+)$/.exec(path);
  if (req.method === 'POST' && control && source.control)
    return handleControl(req, res, control[1]!, source.control);
  if (token && req.method === 'GET' && acceptTokenQuery(req, res, token)) return;
  if (token && !authorised(req, token)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="berth"');
    return sendJson(res, 401, {
      error: 'missing or wrong bearer token (a browser opens /?token=T once)',
    });
  }
  const action = /^\/api\/v1\/actions\/([a-z-]+)$/.exec(path);
  if (req.method === 'POST' && action && web)
    return handleAction(req, res, action[1]!, source.actions ?? new Map(), web.csrf);
  if (!reads) {
    // RFC 9110 §15.5.6: a 405 names the methods the resource takes.
    res.setHeader('Allow', 'GET, HEAD');
    return sendJson(res, 405, { error: 'only GET and HEAD are served here' });
  }
  if (web && (await handleWebRoute(req, res, path, web))) return;
  if (path === '/metrics') {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    return void res.end(source.metrics());
  }
  if (path === '/api/v1/status') return sendJson(res, 200, await source.status());
  if (path === '/api/v1/events')
    return req.method === 'HEAD'
      ? void res.writeHead(200, { 'Content-Type': 'text/event-stream' }).end()
      : streamEvents(req, res, source.bus);
  const object = /^\/api\/v1\/objects\/([A-Za-z]+)\/([^/]+)$/.exec(path);
  if (object) {
    const kind = KINDS.find((k) => k.toLowerCase() === object[1]?.toLowerCase());
    const key = `${kind}/${decodeURIComponent(object[2] ?? '')}`;
    const found = kind && (await source.status()).objects.find((o) => o.key === key);
    return found
      ? sendJson(res, 200, found)
      : sendJson(res, 404, { error: `no object ${object[1]}/${object[2]}` });
  }
  sendJson(res, 404, { error: `no route ${path}` });
}

function streamEvents(req: IncomingMessage, res: ServerResponse, bus: EventBus): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  res.write(': berth watch events\n\n');
  const unsubscribe = bus.subscribe((event) => {
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
  req.on('close', () => {
    clearInterval(keepalive);
    unsubscribe();
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value, null, 2) + '\n');
}

async function webhook(
  req: IncomingMessage,
  res: ServerResponse,
  source: ApiSource,
): Promise<void> {
  if (!source.webhook)
    return sendJson(res, 404, { error: source.webhookOff ?? 'no git source: nothing to notify' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_WEBHOOK_BYTES) return sendJson(res, 413, { error: 'body too large' });
    chunks.push(chunk);
  }
  const status = source.webhook(req.headers, Buffer.concat(chunks));
  if (status === 401) return sendJson(res, 401, { error: 'missing or bad signature' });
  sendJson(res, status, { accepted: status === 202 });
}
