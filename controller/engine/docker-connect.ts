import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { EngineAddress } from './engine-address.js';

/** Connection options for dockerode at `address` (shared with docker-streams.ts). */
export function dockerOptions(address: EngineAddress): Dockerode.DockerOptions {
  if (address.kind === 'unix') return { socketPath: address.socketPath };
  const tls = address.tls && address.certPath ? readCerts(address.certPath) : {};
  return {
    host: address.host,
    port: address.port,
    protocol: address.tls ? 'https' : 'http',
    ...tls,
  };
}

function readCerts(dir: string): { ca: Buffer; cert: Buffer; key: Buffer } {
  const read = (f: string) => readFileSync(join(dir, f));
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}
