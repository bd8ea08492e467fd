import { createServer, request as httpRequest, type Server } from 'node:http';

/** The engine the tests use: DOCKER_HOST's socket when it names one (Podman's, say). */
const ENGINE_SOCKET = process.env.DOCKER_HOST?.startsWith('unix://')
  ? process.env.DOCKER_HOST.slice('unix://'.length)
  : '/var/run/docker.sock';

export interface MisleadingAnswers {
  /** Error statuses answered instead of the engine's (Podman answers 500 where Docker says 409). */
  statuses?: Record<number, number>;
  /** Container names (without slash) left out of every container list, as if not there yet. */
  hideContainers?: string[];
}

export interface MisleadingProxy {
  /** `METHOD /path` of every request forwarded, in order (query strings dropped). */
  seen: string[];
  socketPath: string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy on a unix socket in front of the real engine that answers some requests
 * differently: other error statuses and container lists that miss some names. It stands
 * for an engine whose answers berth does not expect (issue 19 item 11, found on Podman).
 */
export async function startMisleadingProxy(
  socketPath: string,
  answers: MisleadingAnswers,
): Promise<MisleadingProxy> {
  const seen: string[] = [];
  const hidden = new Set((answers.hideContainers ?? []).map((n) => `/${n}`));
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    seen.push(`${req.method} ${path}`);
    const upstream = httpRequest(
      { socketPath: ENGINE_SOCKET, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const status = answer.statusCode ?? 502;
        const listing = req.method === 'GET' && /\/containers\/json$/.test(path);
        if (!listing || status !== 200) {
          res.writeHead(answers.statuses?.[status] ?? status, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const list = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            Names?: string[];
          }[];
          const body = JSON.stringify(
            list.filter((c) => !(c.Names ?? []).some((n) => hidden.has(n))),
          );
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(body);
        });
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
