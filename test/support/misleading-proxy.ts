import type { IncomingMessage, ServerResponse } from 'node:http';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';

export interface MisleadingAnswers {
  /** Error statuses answered instead of the engine's (Podman answers 500 where Docker says 409). */
  statuses?: Record<number, number>;
  /** Container names (without slash) left out of every container list, as if not there yet. */
  hideContainers?: string[];
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
  return startCountingProxy(socketPath, (req, path, answer, res) => {
    const status = answer.statusCode ?? 502;
    const listing = req.method === 'GET' && /\/containers\/json$/.test(path);
    if (!listing || status !== 200) {
      res.writeHead(answers.statuses?.[status] ?? status, answer.headers);
      answer.pipe(res);
      return true;
    }
    withoutHidden(answer, res, hidden);
    return true;
  });
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
