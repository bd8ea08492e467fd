import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { ENGINE_SOCKET } from './engine.js';

/** PEM files of a throw-away CA, a server certificate for 127.0.0.1 and a client certificate. */
export interface TestPki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** Makes the PKI in `dir` with openssl (about 0.3 s). */
export function makePki(dir: string): TestPki {
  const p = (f: string) => join(dir, f);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    p('ca-key.pem'),
    '-out',
    p('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=berth-test-ca',
  );
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  writeFileSync(p('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      p(`${who}-key.pem`),
      '-out',
      p(`${who}.csr`),
      '-subj',
      `/CN=${who === 'server' ? '127.0.0.1' : 'berth'}`,
    );
    ssl(
      'x509',
      '-req',
      '-in',
      p(`${who}.csr`),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca-key.pem'),
      '-CAcreateserial',
      '-out',
      p(`${who}.pem`),
      '-days',
      '2',
      '-extfile',
      p(`${who}.ext`),
    );
  }
  return {
    ca: p('ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server-key.pem'),
    clientCert: p('client.pem'),
    clientKey: p('client-key.pem'),
  };
}

/**
 * A TLS endpoint on 127.0.0.1 in front of the engine's socket, as `dockerd --tlsverify`
 * would be: it requires a client certificate signed by the test CA and relays the bytes.
 */
export async function startTlsProxy(
  pki: TestPki,
  socketPath = ENGINE_SOCKET,
): Promise<{ port: number; close(): Promise<void> }> {
  const { readFileSync } = await import('node:fs');
  const server: Server = createServer(
    {
      ca: readFileSync(pki.ca),
      cert: readFileSync(pki.serverCert),
      key: readFileSync(pki.serverKey),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (client) => {
      const upstream = connect(socketPath);
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end);
      upstream.on('error', end);
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
