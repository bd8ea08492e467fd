import { createServer, request as httpRequest, type Server } from 'node:http';

const ENGINE_SOCKET = '/var/run/docker.sock';

export interface CountingProxy {
  /** `METHOD /path` of every request forwarded, in order (query strings dropped). */
  seen: string[];
  socketPath: string;
  close(): Promise<void>;
}

/**
 * A tiny HTTP proxy on a unix socket between a client and the engine that records every
 * request it forwards: API-call counts are deterministic, so tests assert them exactly.
 */
export async function startCountingProxy(socketPath: string): Promise<CountingProxy> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    const upstream = httpRequest(
      { socketPath: ENGINE_SOCKET, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
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
