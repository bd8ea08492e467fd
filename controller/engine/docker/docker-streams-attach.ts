import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { hijackedSession } from './docker-streams-exec.js';
import type { AttachRequest, ExecSession } from '../engine-streams.js';

/**
 * Attaches to a container's own process (`POST /containers/{id}/attach` upgraded to a raw
 * socket), as `docker run` does: call it before starting the container so no output is
 * missed. The exit code is the container's, from `POST /containers/{id}/wait` asked here,
 * before the start, as the docker CLI's waitExitOrRemoved: condition `next-exit` (a created
 * container is already "not running"), or `removed` for an auto-removed container (the
 * engine removes it right after it exits; a wait asked afterwards finds nothing: 404).
 */
export async function attachDockerContainer(
  container: Dockerode.Container,
  request: AttachRequest,
): Promise<ExecSession> {
  const { exited } = await registeredWait(container, request.autoRemoved ? 'removed' : 'next-exit');
  const socket = (await container.attach({
    stream: true,
    stdin: request.stdin,
    stdout: true,
    stderr: true,
    hijack: true,
  })) as Duplex;
  return hijackedSession(
    socket,
    request.tty,
    () => exited,
    (rows, columns) => container.resize({ h: rows, w: columns }),
  );
}

/** How long to wait for the engine to take a wait before going on without that proof. */
const WAIT_REGISTERED_PATIENCE_MS = 3000;

/**
 * Asks the engine to wait for `condition` and resolves once it has taken the wait: Docker
 * (API 1.30+) and Podman send the answer's headers as soon as the wait is registered and
 * the body (`{"StatusCode": n}`) when the condition is met. Waiting for the headers keeps
 * a start that follows from winning the race (a process that exits at once would leave a
 * `next-exit` wait hanging). `exited` is the exit code; it rejects with the
 * engine's error (404: no such container). Its failure is handled until it is read.
 */
function registeredWait(
  container: Dockerode.Container,
  condition: 'removed' | 'next-exit',
): Promise<{ exited: Promise<number> }> {
  return new Promise((registered) => {
    const exited = new Promise<number>((resolve, reject) => {
      container.modem.dial(
        {
          path: `/containers/${container.id}/wait?`,
          method: 'POST',
          isStream: true,
          statusCodes: {
            200: true,
            400: 'bad parameter',
            404: 'no such container',
            500: 'server error',
          },
          options: { condition },
        },
        (err: unknown, response: unknown) => {
          if (err) return reject(err as Error);
          registered({ exited });
          readStatusCode(response as IncomingMessage).then(resolve, reject);
        },
      );
    });
    exited.catch(() => registered({ exited }));
    setTimeout(() => registered({ exited }), WAIT_REGISTERED_PATIENCE_MS).unref();
  });
}

/** The wait answer's body: `{"StatusCode": n, "Error": {"Message": …} | null}`. */
async function readStatusCode(response: IncomingMessage): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    StatusCode: number;
    Error?: { Message?: string } | null;
  };
  if (body.Error?.Message) throw new Error(body.Error.Message);
  return body.StatusCode;
}
