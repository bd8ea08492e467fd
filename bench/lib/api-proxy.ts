import { rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { ENGINE_SOCKET } from './engine-http.js';

// Path segments that are verbs, not object names, under /containers, /networks, /volumes, /images.
const VERBS = new Set(['json', 'create', 'prune', 'load', 'search', 'get']);

/**
 * `METHOD /route` with the API version prefix and query dropped, and object ids or names
 * replaced by `{id}`, so calls about different containers count as one route.
 */
export function normaliseCall(method: string, url: string): string {
  const path = (url.split('?')[0] ?? '').replace(/^\/v\d+\.\d+(?=\/)/, '');
  const parts = path.split('/');
  const out = parts.map((part, i) => {
    const parent = parts[i - 1];
    const isObject =
      parent === 'containers' || parent === 'networks' || parent === 'volumes' || parent === 'exec';
    return isObject && i === 2 && !VERBS.has(part) ? '{id}' : part;
  });
  // Image refs contain slashes; everything between /images/ and a trailing verb is the name.
  const joined = out.join('/');
  const image = /^\/images\/(.+?)(\/(json|history|push|tag|get))?$/.exec(joined);
  if (image && !VERBS.has(image[1] ?? '')) return `${method} /images/{id}${image[2] ?? ''}`;
  return `${method} ${joined}`;
}

/** Requests seen by the proxy, by route. */
export type CallCounts = Record<string, number>;

/** One request that changes engine state: its method and path (version prefix dropped, query kept). */
export interface Mutation {
  method: string;
  path: string;
}

export interface CountingProxy {
  socketPath: string;
  /** Counts since the last reset, by `METHOD /route`. */
  counts(): CallCounts;
  total(): number;
  /** Every request other than GET and HEAD since the last reset, in arrival order. */
  mutations(): Mutation[];
  reset(): void;
  close(): Promise<void>;
}

/** Where the proxy forwards to: a unix socket, or an engine on plain tcp (host, port). */
export type Upstream = { socketPath: string } | { host: string; port: number };

/**
 * A unix-socket HTTP proxy in front of an engine (default: the one the bench measures) that
 * counts every request it forwards. Streaming answers (events, logs) are piped, so
 * long-lived clients such as `berth watch` work through it unchanged.
 */
export async function startCountingProxy(
  socketPath: string,
  upstream: Upstream = { socketPath: ENGINE_SOCKET },
): Promise<CountingProxy> {
  let counts: CallCounts = {};
  let mutations: Mutation[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const key = normaliseCall(req.method ?? 'GET', req.url ?? '/');
    counts[key] = (counts[key] ?? 0) + 1;
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD')
      mutations.push({ method, path: (req.url ?? '/').replace(/^\/v\d+\.\d+(?=\/)/, '') });
    const forwarded = request(
      { ...upstream, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    res.on('close', () => forwarded.destroy());
    req.pipe(forwarded);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  rmSync(socketPath, { force: true });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    mutations: () => [...mutations],
    reset: () => {
      counts = {};
      mutations = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
