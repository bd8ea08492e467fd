import type { IncomingMessage, ServerResponse } from 'node:http';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';

export interface MisleadingAnswers {
  /** Error statuses answered instead of the engine's (Podman answers 500 where Docker says 409). */
  statuses?: Record<number, number>;
  /** Container names (without slash) left out of every container list, as if not there yet. */
  hideContainers?: string[];
  /**
   * The first this many container starts are not sent to the engine but answered as Docker
   * 20.10 answered them after an engine restart under load: 409, containerd's "task <id>:
   * already exists" (F766).
   */
  staleTaskStarts?: number;
}

/** `seen`: `METHOD /path` of every request forwarded, in order (query strings dropped). */
export type MisleadingProxy = CountingProxy;

/**
 * An HTTP proxy on a unix socket in front of the real engine that answers some requests
 * differently: other error statuses and container lists that miss some names. It stands
 * for an engine whose answers berth does not expect (issue 19 item 11, found on Podman).
 */
export function startMisleadingProxy(
  socketPath: string,
  answers: MisleadingAnswers,
): Promise<MisleadingProxy> {
  const hidden = new Set((answers.hideContainers ?? []).map((n) => `/${n}`));
  let staleLeft = answers.staleTaskStarts ?? 0;
  const staleTask = (req: IncomingMessage, path: string, res: ServerResponse): boolean => {
    const id = /^(?:\/v[\d.]+)?\/containers\/([^/]+)\/start$/.exec(path)?.[1];
    if (req.method !== 'POST' || id === undefined || staleLeft <= 0) return false;
    staleLeft--;
    res.writeHead(409, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `task ${id}: already exists` }));
    return true;
  };
  return startCountingProxy(
    socketPath,
    (req, path, answer, res) => {
      const status = answer.statusCode ?? 502;
      const listing = req.method === 'GET' && /\/containers\/json$/.test(path);
      if (!listing || status !== 200) {
        res.writeHead(answers.statuses?.[status] ?? status, answer.headers);
        answer.pipe(res);
        return true;
      }
      withoutHidden(answer, res, hidden);
      return true;
    },
    staleTask,
  );
}

/** Answers a container list without the containers whose names are in `hidden`. */
function withoutHidden(answer: IncomingMessage, res: ServerResponse, hidden: Set<string>): void {
  const chunks: Buffer[] = [];
  answer.on('data', (c: Buffer) => chunks.push(c));
  answer.on('end', () => {
    const list = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Names?: string[] }[];
    const body = JSON.stringify(list.filter((c) => !(c.Names ?? []).some((n) => hidden.has(n))));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
}
