import { request } from 'node:http';

/** The engine socket the bench measures; every tool is pointed at it (directly or via the proxy). */
export const ENGINE_SOCKET = process.env.BENCH_ENGINE_SOCKET ?? '/var/run/docker.sock';

export interface EngineAnswer {
  status: number;
  body: string;
}

/**
 * One plain HTTP request to the Engine API over a unix socket. Resolves with the status and
 * body whatever the status; rejects only when the socket itself fails.
 */
export async function engineRequest(
  method: string,
  path: string,
  body?: unknown,
  socketPath: string = ENGINE_SOCKET,
): Promise<EngineAnswer> {
  // The shared engine may be restarted by other work on this machine: wait for its socket
  // (up to 30 s) rather than failing a clean-up or a set-up step at once.
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestOnce(method, path, body, socketPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || attempt >= 60) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function requestOnce(
  method: string,
  path: string,
  body: unknown,
  socketPath: string,
): Promise<EngineAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path,
        method,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Like engineRequest, but a status of 400 or more is an error naming the call. */
export async function engineCall(
  method: string,
  path: string,
  body?: unknown,
  socketPath: string = ENGINE_SOCKET,
): Promise<string> {
  const answer = await engineRequest(method, path, body, socketPath);
  if (answer.status >= 400)
    throw new Error(`${method} ${path}: ${answer.status} ${answer.body.trim()}`);
  return answer.body;
}

/** `?filters=` query for a label filter such as `berth.project=P`. */
export function labelFilter(...labels: string[]): string {
  return `filters=${encodeURIComponent(JSON.stringify({ label: labels }))}`;
}

export interface ListedContainer {
  Id: string;
  Names: string[];
  State: string;
  Labels: Record<string, string>;
}

/** Every container (any state) whose name starts with `/prefix`. */
export async function containersNamed(prefix: string): Promise<ListedContainer[]> {
  const filters = encodeURIComponent(JSON.stringify({ name: [`^/${prefix}`] }));
  const body = await engineCall('GET', `/containers/json?all=1&filters=${filters}`);
  return (JSON.parse(body) as ListedContainer[]).filter((c) =>
    c.Names.some((n) => n.startsWith(`/${prefix}`)),
  );
}

/** Runs `work` over `items` with at most `limit` in flight; rejects with the first failure. */
export async function mapLimit<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
