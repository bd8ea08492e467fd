import { request as httpRequest } from 'node:http';
import type Dockerode from 'dockerode';
import type { EngineAddress } from './engine-address.js';

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

/** A node:http client for GETs, or undefined where TLS needs dockerode's set-up. */
export function createDockerReads(address: EngineAddress): DockerReads | undefined {
  if (address.kind === 'tcp' && address.tls) return undefined;
  const target =
    address.kind === 'unix'
      ? { socketPath: address.socketPath }
      : { host: address.host, port: address.port };
  const get = <T>(path: string, query: Record<string, unknown> = {}): Promise<T> =>
    new Promise((resolve, reject) => {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        if (v !== undefined) search.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
      }
      const qs = search.toString();
      const req = httpRequest(
        { ...target, method: 'GET', path: qs ? `${path}?${qs}` : path },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : null;
            } catch {
              // plain-text error bodies stay text
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(body as T);
            else reject(new EngineHttpError(status, body as { message?: string } | string | null));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  const id = encodeURIComponent;
  return {
    version: () => get('/version'),
    listContainers: (o = {}) =>
      get('/containers/json', { all: o.all ? 1 : undefined, filters: o.filters }),
    listNetworks: (o = {}) => get('/networks', { filters: o.filters }),
    listVolumes: (o = {}) => get('/volumes', { filters: o.filters }),
    listImages: () => get('/images/json'),
    getContainer: (c) => ({ inspect: () => get(`/containers/${id(c)}/json`) }),
    getImage: (ref) => ({ inspect: () => get(`/images/${ref}/json`) }),
  };
}
