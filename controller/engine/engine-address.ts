import { EngineError } from './engine.js';

/** Where the engine listens, resolved from `--engine`, `DOCKER_HOST` or the default socket. */
export type EngineAddress = { display: string } & (
  | { kind: 'unix'; socketPath: string }
  | {
      kind: 'tcp';
      host: string;
      port: number;
      tls: boolean;
      /** Folder with ca.pem, cert.pem, key.pem (DOCKER_CERT_PATH), when TLS is on. */
      certPath?: string;
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

function tcpAddress(
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

function invalid(raw: string, reason: string): never {
  throw new EngineError('E_ENGINE_UNREACHABLE', `invalid engine address "${raw}": ${reason}`, {
    operation: 'resolve-address',
    target: raw,
  });
}
