import { createServer, request as httpRequest, type Server } from 'node:http';
import { ENGINE_SOCKET } from './engine.js';

export interface HoldingProxy {
  socketPath: string;
  /** Resolves once the first request `holds` matched has reached the proxy (it is not forwarded yet). */
  reached: Promise<string>;
  /** Forwards the held request to the engine. */
  release(): void;
  close(): Promise<void>;
}

/**
 * An HTTP proxy on a unix socket in front of the real engine that holds the first request
 * `holds` matches (`METHOD /path`, no query) until {@link HoldingProxy.release}: a test can
 * act while that call is in flight (sent by the client, not yet done by the engine), every
 * time, whatever the engine's speed. Every other request passes through at once.
 */
export async function startHoldingProxy(
  socketPath: string,
  holds: (request: string) => boolean,
): Promise<HoldingProxy> {
  let reach: (request: string) => void = () => undefined;
  let release: () => void = () => undefined;
  const reached = new Promise<string>((r) => (reach = r));
  const released = new Promise<void>((r) => (release = r));
  let holding = false;
  const server: Server = createServer((req, res) => {
    const request = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    const forward = () => {
      const upstream = httpRequest(
        { socketPath: ENGINE_SOCKET, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (holding || !holds(request)) return forward();
    holding = true;
    reach(request);
    void released.then(forward);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    reached,
    release,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
