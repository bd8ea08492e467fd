import { EngineError } from '../engine.js';

/**
 * Where the engine listens, resolved from `--engine`, `--context`, `DOCKER_HOST`,
 * `DOCKER_CONTEXT`, the current Docker context or the default socket (engine-target.ts).
 * `display` is the endpoint for messages; `context` the Docker context it came from, if any.
 */
export type EngineAddress = { display: string; context?: string } & (
  | { kind: 'unix'; socketPath: string }
  | {
      kind: 'tcp';
      host: string;
      port: number;
      tls: boolean;
      /** Folder with ca.pem, cert.pem, key.pem (DOCKER_CERT_PATH), when TLS is on. */
      certPath?: string;
      /** TLS files of a Docker context (each optional, as `docker context create` stores them). */
      tlsFiles?: { ca?: string; cert?: string; key?: string };
      /** The context's SkipTLSVerify: TLS without checking the server's certificate. */
      skipVerify?: boolean;
    }
  | {
      /** `ssh://[user@]host[:port]`: reached through `ssh … docker system dial-stdio`. */
      kind: 'ssh';
      host: string;
      user?: string;
      port?: number;
    }
);

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * Resolves the engine address. Order: the `--engine` flag, `DOCKER_HOST`, the default
 * socket. Accepts `unix:///path`, an absolute socket path, `tcp://host[:port]`,
 * `http://…` and `https://…`; TLS is on for `https://` or when `DOCKER_TLS_VERIFY` is set,
 * as the docker CLI does. Throws EngineError E_ENGINE_UNREACHABLE for an address it
 * cannot use (the CLI reports it like an unreachable engine, exit 4).
 */
export function resolveEngineAddress(
  flag?: string,
  env: NodeJS.ProcessEnv = process.env,
): EngineAddress {
  const raw = flag?.trim() || env.DOCKER_HOST?.trim() || `unix://${DEFAULT_SOCKET}`;
  if (raw.startsWith('/')) return unixAddress(raw);
  const match = /^([a-z]+):\/\/(.*)$/.exec(raw);
  if (!match) return invalid(raw, 'expected unix:///path or tcp://host:port');
  const [, scheme = '', rest = ''] = match;
  if (scheme === 'unix') {
    return rest.startsWith('/') ? unixAddress(rest) : invalid(raw, 'socket path must be absolute');
  }
  if (scheme === 'ssh') return sshAddress(raw, rest);
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    const verify = env.DOCKER_TLS_VERIFY;
    const tls = scheme === 'https' || (verify !== undefined && verify !== '' && verify !== '0');
    return tcpAddress(raw, rest, tls, env.DOCKER_CERT_PATH);
  }
  return invalid(raw, `unsupported scheme "${scheme}"`);
}

function unixAddress(socketPath: string): EngineAddress {
  return { kind: 'unix', socketPath, display: `unix://${socketPath}` };
}

export function tcpAddress(
  raw: string,
  rest: string,
  tls: boolean,
  certPath: string | undefined,
): EngineAddress {
  // Only host[:port] is meaningful; a trailing slash or path is ignored as docker does.
  const hostPort = rest.replace(/\/.*$/, '');
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!m || !m[1]) return invalid(raw, 'expected tcp://host:port');
  const host = m[1].replace(/^\[|\]$/g, '');
  // 2375 plain, 2376 TLS: the engine's registered ports.
  const port = m[2] ? Number(m[2]) : tls ? 2376 : 2375;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return invalid(raw, 'bad port');
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    kind: 'tcp',
    host,
    port,
    tls,
    ...(tls && certPath ? { certPath } : {}),
    display: `tcp://${shownHost}:${port}`,
  };
}

/** `ssh://[user@]host[:port]`, as Docker's connhelper parses it (no path allowed). */
export function sshAddress(raw: string, rest: string): EngineAddress {
  const m = /^(?:([^@/]+)@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(rest);
  if (!m || !m[2]) return invalid(raw, 'expected ssh://[user@]host[:port]');
  const port = m[3] ? Number(m[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return invalid(raw, 'bad port');
  return {
    kind: 'ssh',
    host: m[2].replace(/^\[|\]$/g, ''),
    ...(m[1] ? { user: m[1] } : {}),
    ...(port ? { port } : {}),
    display: `ssh://${rest.replace(/\/$/, '')}`,
  };
}

export function invalid(raw: string, reason: string): never {
  throw new EngineError('E_ENGINE_UNREACHABLE', `invalid engine address "${raw}": ${reason}`, {
    operation: 'resolve-address',
    target: raw,
  });
}
