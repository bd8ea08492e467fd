import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { ENGINE_SOCKET } from './engine.js';

export interface CountingProxy {
  /** `METHOD /path` of every request forwarded, in order (query strings dropped). */
  seen: string[];
  socketPath: string;
  close(): Promise<void>;
}

/**
 * Answers the client from the engine's `answer` itself; returns false to pass the answer
 * through unchanged. `path`: the request path without its query string.
 */
export type AnswerRewrite = (
  req: IncomingMessage,
  path: string,
  answer: IncomingMessage,
  res: ServerResponse,
) => boolean;

/**
 * Answers the client itself, before the engine sees the request; returns false to forward
 * it. The request is still recorded in `seen`.
 */
export type RequestIntercept = (req: IncomingMessage, path: string, res: ServerResponse) => boolean;

/**
 * A tiny HTTP proxy on a unix socket between a client and the engine that records every
 * request it forwards: API-call counts are deterministic, so tests assert them exactly.
 * `rewrite` may answer some requests differently, `intercept` answer some without the
 * engine (see misleading-proxy.ts).
 */
export async function startCountingProxy(
  socketPath: string,
  rewrite?: AnswerRewrite,
  intercept?: RequestIntercept,
): Promise<CountingProxy> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    seen.push(`${req.method} ${path}`);
    if (intercept?.(req, path, res)) {
      req.resume();
      return;
    }
    const upstream = httpRequest(
      { socketPath: ENGINE_SOCKET, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        if (rewrite?.(req, path, answer, res)) return;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    seen,
    socketPath,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Requests that change something on the engine (anything but GET and HEAD). */
export function mutatingRequests(seen: string[]): string[] {
  return seen.filter((r) => !r.startsWith('GET ') && !r.startsWith('HEAD '));
}
