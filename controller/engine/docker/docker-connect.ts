import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { EngineAddress } from './engine-address.js';
import { sshAgent } from './docker-ssh.js';

/** TLS options of node:https for a TLS tcp address (DOCKER_CERT_PATH or the context's files). */
export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** False for a context with SkipTLSVerify. */
  rejectUnauthorized?: boolean;
}

/** How node:http reaches `address`: a socket path, host and port (+ TLS), or an ssh agent. */
export type HttpTarget =
  | { socketPath: string }
  | { host: string; port: number; tls?: TlsOptions }
  | { host: string; port: number; agent: Agent };

/** The node:http target of `address` (docker-reads.ts; the same as dockerode's). */
export function httpTarget(address: EngineAddress): HttpTarget {
  if (address.kind === 'unix') return { socketPath: address.socketPath };
  // dial-stdio ignores the host of the request; "localhost" is only what goes in the header.
  if (address.kind === 'ssh') return { host: 'localhost', port: 80, agent: sshAgent(address) };
  if (!address.tls) return { host: address.host, port: address.port };
  return { host: address.host, port: address.port, tls: tlsOptions(address) };
}

/** Connection options for dockerode at `address` (shared with docker-streams.ts). */
export function dockerOptions(address: EngineAddress): Dockerode.DockerOptions {
  const target = httpTarget(address);
  if ('socketPath' in target) return target;
  if ('agent' in target) {
    return { ...target, protocol: 'http', agent: target.agent } as Dockerode.DockerOptions;
  }
  const { tls, ...hostPort } = target;
  if (!tls) return { ...hostPort, protocol: 'http' };
  const { rejectUnauthorized, ...files } = tls;
  return {
    ...hostPort,
    protocol: 'https',
    ...files,
    // docker-modem passes only ca/cert/key on; skipping verification needs an agent.
    ...(rejectUnauthorized === false ? { agent: new HttpsAgent({ rejectUnauthorized }) } : {}),
  } as Dockerode.DockerOptions;
}

function tlsOptions(address: Extract<EngineAddress, { kind: 'tcp' }>): TlsOptions {
  const files: { ca?: string; cert?: string; key?: string } = address.tlsFiles
    ? address.tlsFiles
    : address.certPath
      ? {
          ca: join(address.certPath, 'ca.pem'),
          cert: join(address.certPath, 'cert.pem'),
          key: join(address.certPath, 'key.pem'),
        }
      : {};
  const options: TlsOptions = {};
  for (const name of ['ca', 'cert', 'key'] as const) {
    const path = files[name];
    if (path) options[name] = readFileSync(path);
  }
  if (address.skipVerify) options.rejectUnauthorized = false;
  return options;
}
