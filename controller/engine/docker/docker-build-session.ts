import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type Dockerode from 'dockerode';

/**
 * A BuildKit session (POST /session, upgraded to HTTP/2, gRPC served by berth on it) that
 * answers the engine's requests for build secrets: how `docker build --secret` hands
 * `RUN --mount=type=secret` its values without putting them in the context, the image or the
 * build arguments. The engine checks the session's health and drops one that does not
 * answer, so the health service is served too. Messages are encoded by hand (one string or
 * bytes field each), so no .proto file has to ship with the bundle.
 * Seen on dockerd 20.10 (API 1.41): the values reach the step at /run/secrets/ID.
 */
export interface BuildSession {
  /** The id to pass as the build's `session` parameter. */
  id: string;
  close(): void;
}

const SECRETS = '/moby.buildkit.secrets.v1.Secrets/GetSecret';
const HEALTH = '/grpc.health.v1.Health/Check';

/** Opens a session serving `secrets` (by id) until `close()`; an unknown id is NOT_FOUND. */
export async function openSecretSession(
  docker: Dockerode,
  secrets: Record<string, Buffer>,
): Promise<BuildSession> {
  // @grpc/grpc-js is CommonJS: bundled into dist/ its namespace has only `default` (F102:
  // "grpc.Server is not a constructor" from the installed CLI); from source it has both.
  const loaded = await import('@grpc/grpc-js');
  const grpc = (loaded as unknown as { default?: typeof loaded }).default ?? loaded;
  const id = randomUUID();
  const socket = await new Promise<Socket>((resolve, reject) =>
    docker.modem.dial(
      {
        method: 'POST',
        path: '/session',
        hijack: true,
        headers: {
          Upgrade: 'h2c',
          'X-Docker-Expose-Session-Uuid': id,
          'X-Docker-Expose-Session-Name': 'berth',
          'X-Docker-Expose-Session-Sharedkey': '',
          'X-Docker-Expose-Session-Grpc-Method': [SECRETS, HEALTH],
        },
        statusCodes: { 101: true, 200: true, 500: 'server error' },
      } as unknown as Parameters<Dockerode['modem']['dial']>[0],
      (error: unknown, answer: unknown) =>
        error ? reject(error as Error) : resolve(answer as Socket),
    ),
  );
  const server = new grpc.Server();
  const unary = (path: string) => ({
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  });
  type Unary = (
    call: { request: Buffer },
    reply: (error: { code: number; details: string } | null, value?: Buffer) => void,
  ) => void;
  const getSecret: Unary = ({ request }, reply) => {
    const wanted = firstStringField(request);
    const value = wanted === undefined ? undefined : secrets[wanted];
    if (value === undefined)
      reply({ code: grpc.status.NOT_FOUND, details: `secret ${wanted ?? ''} not declared` });
    else reply(null, bytesField(value));
  };
  // HealthCheckResponse{status: SERVING (1)}.
  const check: Unary = (_call, reply) => reply(null, Buffer.from([0x08, 0x01]));
  server.addService({ GetSecret: unary(SECRETS) }, { GetSecret: getSecret });
  server.addService({ Check: unary(HEALTH) }, { Check: check });
  server.createConnectionInjector(grpc.ServerCredentials.createInsecure()).injectConnection(socket);
  return {
    id,
    close: () => {
      server.forceShutdown();
      socket.end();
    },
  };
}

/** Field 1 (length-delimited) of a protobuf message as UTF-8: GetSecretRequest.ID. */
function firstStringField(message: Buffer): string | undefined {
  let at = 0;
  while (at < message.length) {
    const [key, afterKey] = varint(message, at);
    const wire = key & 7;
    if (wire === 2) {
      const [length, start] = varint(message, afterKey);
      if (key >>> 3 === 1) return message.subarray(start, start + length).toString('utf8');
      at = start + length;
    } else if (wire === 0) at = varint(message, afterKey)[1];
    else return undefined;
  }
  return undefined;
}

/** GetSecretResponse{data: value}: field 1, length-delimited. */
function bytesField(value: Buffer): Buffer {
  const length: number[] = [];
  let n = value.length;
  do {
    length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.concat([Buffer.from([0x0a, ...length]), value]);
}

function varint(buffer: Buffer, start: number): [number, number] {
  let value = 0;
  let shift = 0;
  let at = start;
  for (;;) {
    const byte = buffer[at++] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80 || at >= buffer.length) return [value, at];
  }
}
