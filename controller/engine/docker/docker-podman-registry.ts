import type Dockerode from 'dockerode';
import type { RegistryAuth } from '../engine.js';

/**
 * Plain-HTTP registries on loopback (issue 17). Docker treats a registry on 127.0.0.0/8 or
 * `localhost` as insecure by itself (plain HTTP allowed, its default `insecure-registries`);
 * Podman refuses one unless its `registries.conf` lists it ("server gave HTTP response to
 * HTTPS client"). On Podman the adapter asks for what Docker does, for loopback registries
 * only: `tlsVerify=false`, which lets Podman fall back to plain HTTP. A registry anywhere else
 * keeps TLS verification, as it does on Docker.
 */

/**
 * The registry host of an image reference (`host[:port]`), or undefined for Docker Hub. As
 * Docker reads a reference: the first path component is a registry when it holds a `.` or a
 * `:`, or is `localhost`.
 */
export function registryHost(ref: string): string | undefined {
  const slash = ref.indexOf('/');
  if (slash < 0) return undefined;
  const first = ref.slice(0, slash);
  return /[.:]/.test(first) || first === 'localhost' ? first : undefined;
}

/** Whether `ref` names a registry on `localhost` or 127.0.0.0/8 (any port), as Docker's default. */
export function isLoopbackRegistry(ref: string): boolean {
  const host = registryHost(ref)?.replace(/:\d+$/, '');
  if (host === undefined) return false;
  if (host === 'localhost') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

/**
 * The query that lets Podman reach `ref`'s registry over plain HTTP: `tlsVerify=false` on
 * Podman for a loopback registry, nothing otherwise (never for another registry, never on
 * Docker, which would ignore it anyway).
 */
export function plainHttpQuery(ref: string, podman: boolean): { tlsVerify?: false } {
  return podman && isLoopbackRegistry(ref) ? { tlsVerify: false } : {};
}

/**
 * Pulls through libpod's `POST /libpod/images/pull?reference=…&tlsVerify=false`: Podman
 * 4.3.1's Docker-compatible `/images/create` ignores `tlsVerify` (checked on 4.3.1), its
 * push takes it. Credentials travel as for Docker (X-Registry-Auth; `{}` when anonymous).
 * The answer is a JSON stream of `stream` lines, one `error` line on failure (still 200),
 * then `{images, id}`: followProgress reads it as it reads Docker's.
 */
export function pullOverPlainHttp(
  docker: Dockerode,
  ref: string,
  auth: RegistryAuth | undefined,
): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: '/v4.0.0/libpod/images/pull?',
        method: 'POST',
        options: { reference: ref, ...plainHttpQuery(ref, true) },
        authconfig: auth ?? {},
        isStream: true,
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      (err, stream) => (err ? reject(err) : resolve(stream as NodeJS.ReadableStream)),
    );
  });
}
