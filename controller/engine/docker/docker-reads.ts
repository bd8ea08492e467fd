import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type Dockerode from 'dockerode';
import type { EngineAddress } from './engine-address.js';
import { parseDelay } from '../../../specs/validate/values.js';
import { httpTarget } from './docker-connect.js';
import { isImageGoneWhileListing } from './docker-errors.js';
import type { NameLookup, ObservedState } from '../engine.js';
import type { DockerContainerSummary } from './docker-mapping.js';
import { fromContainerSummary, fromNetwork, fromVolume } from './docker-mapping.js';

/**
 * The read-only calls berth makes on every command (the four lists of observe, inspects,
 * version), in the shape dockerode gives them. On a plain socket or TCP address they go
 * through node:http directly, so commands that only look — a no-op apply, status, get —
 * never load dockerode and its dependencies (about 200 ms of every start-up).
 */
export interface DockerReads {
  version(): Promise<Dockerode.DockerVersion>;
  listContainers(options?: { all?: boolean; filters?: object }): Promise<Dockerode.ContainerInfo[]>;
  listNetworks(options?: { filters?: object }): Promise<Dockerode.NetworkInspectInfo[]>;
  listVolumes(options?: {
    filters?: object;
  }): Promise<{ Volumes: Dockerode.VolumeInspectInfo[] | null }>;
  listImages(): Promise<Dockerode.ImageInfo[]>;
  getContainer(id: string): { inspect(): Promise<Dockerode.ContainerInspectInfo> };
  getImage(ref: string): { inspect(): Promise<Dockerode.ImageInspectInfo> };
  getNetwork(idOrName: string): { inspect(): Promise<Dockerode.NetworkInspectInfo> };
  getVolume(name: string): { inspect(): Promise<Dockerode.VolumeInspectInfo> };
  /**
   * `GET /containers/{id}/logs?stdout=1&stderr=1&tail=N`, the body as the engine sent it
   * (multiplexed frames, or a TTY's raw bytes: docker-log-tail.ts reads it).
   */
  logTail(id: string, lines: number): Promise<Buffer>;
  /** Podman only: runs the container's healthcheck once (docker-podman-health.ts). */
  podmanHealthcheck(id: string): Promise<unknown>;
  /** Podman only: libpod's container list, whose `Status` is the health (`healthy`…). */
  listPodmanContainers(options: { filters?: object }): Promise<PodmanListed[]>;
  /**
   * Whether an answer read so far came from Podman (its `Server: Libpod/…` header);
   * undefined before the first answer. Costs no call.
   */
  answeredByPodman(): boolean | undefined;
  /**
   * A write over the same client, with a JSON body: the calls of a cold apply (network
   * create, container create and start) go this way, so an apply that only creates and
   * starts never loads dockerode either (issue 18: about 200 ms of CPU before the first
   * create). Resolves the parsed answer; rejects as dockerode would (status and message).
   */
  send<T>(
    method: 'POST',
    path: string,
    query?: Record<string, unknown>,
    body?: unknown,
  ): Promise<T>;
}

/** One entry of libpod's container list: what berth reads of it. */
export interface PodmanListed {
  Id: string;
  State?: string;
  /** `healthy`, `unhealthy`, `starting`, or '' without a healthcheck. */
  Status?: string;
}

/** An error shaped like docker-modem's, so docker-errors.ts reads both the same way. */
class EngineHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly json: { message?: string } | string | null,
  ) {
    super(`(HTTP code ${statusCode}) ${typeof json === 'object' && json ? json.message : json}`);
  }
}

/**
 * How long a call may go without a byte from the engine before it fails as unreachable, in ms:
 * `BERTH_ENGINE_TIMEOUT` (a duration: `30s`, `2m`), else 60 s. An engine that accepts the
 * connection and never answers (a wedged daemon, a stuck ssh dial-stdio) otherwise hung every
 * command for good, `apply --timeout` included (FINDINGS F469). Only the calls of this client:
 * the lists, inspects, version, create and start, each of which the engine answers at once;
 * streams and waits (events, logs, attach, stop, builds) go through dockerode without it.
 */
export function engineAnswerMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BERTH_ENGINE_TIMEOUT;
  const ms = raw ? parseDelay(raw) : undefined;
  return ms !== undefined && ms > 0 ? ms : DEFAULT_ANSWER_MS;
}

const DEFAULT_ANSWER_MS = 60_000;

/** A node:http(s) client: unix socket, plain or TLS tcp, or ssh (dial-stdio). */
export function createDockerReads(
  address: EngineAddress,
  answerMs = engineAnswerMs(),
): DockerReads {
  const { tls, ...target } = { tls: undefined, ...httpTarget(address) };
  const request = tls ? httpsRequest : httpRequest;
  let podman: boolean | undefined;
  const exchange = (
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, unknown> = {},
    body?: unknown,
  ): Promise<{ status: number; bytes: Buffer }> =>
    new Promise((resolve, reject) => {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        if (v !== undefined) search.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
      }
      const qs = search.toString();
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          ...target,
          ...tls,
          method,
          path: qs ? `${path}?${qs}` : path,
          ...(payload === undefined
            ? {}
            : {
                headers: {
                  'Content-Type': 'application/json',
                  'Content-Length': Buffer.byteLength(payload),
                },
              }),
        },
        (res) => {
          const server = res.headers.server;
          if (server !== undefined) podman = /libpod/i.test(String(server));
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(answerMs, () => {
        const seconds = answerMs / 1000;
        req.destroy(
          Object.assign(new Error(`no answer from the engine in ${seconds}s`), {
            code: 'ETIMEDOUT',
          }),
        );
      });
      req.on('error', reject);
      req.end(payload);
    });
  const send = async <T>(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, unknown> = {},
    body?: unknown,
  ): Promise<T> => {
    const { status, bytes } = await exchange(method, path, query, body);
    const parsed = parseBody(bytes);
    if (status >= 200 && status < 300) return parsed as T;
    throw new EngineHttpError(status, parsed as { message?: string } | string | null);
  };
  const get = <T>(path: string, query: Record<string, unknown> = {}) => send<T>('GET', path, query);
  const id = encodeURIComponent;
  return {
    version: () => get('/version'),
    listContainers: (o = {}) =>
      listSettled(() =>
        get('/containers/json', { all: o.all ? 1 : undefined, filters: o.filters }),
      ),
    listNetworks: (o = {}) => get('/networks', { filters: o.filters }),
    listVolumes: (o = {}) => get('/volumes', { filters: o.filters }),
    listImages: () => listSettled(() => get('/images/json')),
    getContainer: (c) => ({ inspect: () => get(`/containers/${id(c)}/json`) }),
    getImage: (ref) => ({ inspect: () => get(`/images/${ref}/json`) }),
    getNetwork: (n) => ({ inspect: () => get(`/networks/${id(n)}`) }),
    getVolume: (v) => ({ inspect: () => get(`/volumes/${id(v)}`) }),
    logTail: async (c, lines) => {
      const query = { stdout: 1, stderr: 1, tail: lines };
      const { status, bytes } = await exchange('GET', `/containers/${id(c)}/logs`, query);
      if (status >= 200 && status < 300) return bytes;
      throw new EngineHttpError(status, parseBody(bytes) as { message?: string } | string | null);
    },
    podmanHealthcheck: (c) => get(`/v4.0.0/libpod/containers/${id(c)}/healthcheck`),
    listPodmanContainers: (o) =>
      listSettled(() => get('/v4.0.0/libpod/containers/json', { all: true, filters: o.filters })),
    answeredByPodman: () => podman,
    send: (method, path, query, body) => send(method, path, query, body),
  };
}

/** An answer's body: its JSON, or its text when it is none (a plain-text error), or null. */
function parseBody(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/** How many times a list that lost an image while listing is read again. */
const LIST_RETRIES = 3;

/**
 * A container or image list, read again when Podman failed it because an image went away
 * while it was being listed (docker-errors.ts, isImageGoneWhileListing); any other failure,
 * or the same after the retries, is the caller's.
 */
export async function listSettled<T>(list: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await list();
    } catch (e) {
      if (attempt >= LIST_RETRIES || !isImageGoneWhileListing(e)) throw e;
    }
  }
}

/**
 * Engine objects with exactly these names. Unfiltered lists, matched here by exact name:
 * one call per kind asked about, whatever the number of names (a name filter per object
 * would grow the URL past what the engine accepts, and its name filters match substrings).
 */
export async function lookupByNames(
  reads: DockerReads,
  names: NameLookup,
): Promise<Omit<ObservedState, 'images'>> {
  const wanted = (list: string[] | undefined) => new Set(list ?? []);
  const [c, n, v] = [wanted(names.containers), wanted(names.networks), wanted(names.volumes)];
  const [containers, networks, volumes] = await Promise.all([
    c.size ? reads.listContainers({ all: true }) : [],
    n.size ? reads.listNetworks() : [],
    v.size ? reads.listVolumes().then((r) => r.Volumes ?? []) : [],
  ]);
  return {
    containers: (containers as DockerContainerSummary[])
      .map((x) => fromContainerSummary(x))
      .filter((x) => c.has(x.name)),
    networks: networks.map((x) => fromNetwork(x)).filter((x) => n.has(x.name)),
    volumes: volumes
      .map((x) => fromVolume(x as Parameters<typeof fromVolume>[0]))
      .filter((x) => v.has(x.name)),
  };
}

/** A network or volume as the engine lists it: only what splitting the list needs. */
interface NamedListEntry {
  Name: string;
  Labels?: Record<string, string> | null;
}

/**
 * One list call for a kind: the entries carrying `label` (`key` or `key=value`, the engine's
 * label-filter syntax) and those with exactly the `named` names whatever their labels. With no
 * name asked the engine filters by label; otherwise the list is read unfiltered and split
 * here, because the engine ANDs filters of different types and cannot answer "this label OR
 * this name" in one call (declared externals carry no berth labels).
 */
export async function listOwnedAndNamed<T extends NamedListEntry>(
  list: (options?: { filters?: object }) => Promise<T[]>,
  label: string,
  named: readonly string[] | undefined,
): Promise<{ owned: T[]; named: T[] }> {
  if (!named?.length) return { owned: await list({ filters: { label: [label] } }), named: [] };
  const all = await list();
  const [key = '', ...rest] = label.split('=');
  const value = rest.length ? rest.join('=') : undefined;
  const carries = (labels: NamedListEntry['Labels']) =>
    value === undefined ? labels?.[key] !== undefined : labels?.[key] === value;
  const wanted = new Set(named);
  return {
    owned: all.filter((o) => carries(o.Labels)),
    named: all.filter((o) => wanted.has(o.Name)),
  };
}
