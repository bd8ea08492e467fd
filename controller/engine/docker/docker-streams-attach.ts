import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { hijackedSession } from './docker-streams-exec.js';
import type { AttachRequest, ExecSession } from '../engine-streams.js';

/**
 * Attaches to a container's own process (`POST /containers/{id}/attach` upgraded to a raw
 * socket), as `docker run` does: call it before starting the container so no output is
 * missed. The exit code is the container's, from the waits {@link registeredExit} asks
 * before the start.
 */
export async function attachDockerContainer(
  container: Dockerode.Container,
  request: AttachRequest,
): Promise<ExecSession> {
  const { exited } = await registeredExit(container, request.autoRemoved === true);
  const socket = await hijackAttach(container, request.stdin);
  return hijackedSession(
    socket,
    request.tty,
    () => exited,
    (rows, columns) => container.resize({ h: rows, w: columns }),
  );
}

/**
 * `POST /containers/{id}/attach?stream=1&stdin=…&stdout=1&stderr=1`, upgraded to a raw
 * socket, with an empty body (`Content-Length: 0`), as the docker CLI sends it. dockerode's
 * `attach` also writes its options as a JSON body: Docker drops what the client sent before
 * the upgrade, but Podman hands it to the container's stdin (`{"stream":true,…}` read
 * before the piped text, issue 17). docker-modem sends a Buffer given as `file` as the whole
 * body (labelled `application/tar`, which neither engine reads for an attach); `openStdin:
 * false` lets it end the request, and stdin goes to the upgraded socket.
 */
function hijackAttach(container: Dockerode.Container, stdin: boolean): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    container.modem.dial(
      {
        path: `/containers/${container.id}/attach?`,
        method: 'POST',
        isStream: true,
        hijack: true,
        openStdin: false,
        file: Buffer.alloc(0),
        statusCodes: {
          101: true,
          200: true,
          400: 'bad parameter',
          404: 'no such container',
          500: 'server error',
        },
        options: { stream: true, stdin, stdout: true, stderr: true },
      },
      (err: unknown, socket: unknown) => (err ? reject(err as Error) : resolve(socket as Duplex)),
    );
  });
}

/** How long the removal waits for next-exit's answer when that has not come first. */
const NEXT_EXIT_GRACE_MS = 2000;

/**
 * The container's exit code, from `POST /containers/{id}/wait` asked before the start, as
 * the docker CLI's waitExitOrRemoved: condition `next-exit` (a created container is already
 * "not running"). An auto-removed container is gone right after it exits (a wait asked
 * afterwards finds nothing: 404), so a `removed` wait is asked too and the code resolves
 * once the engine has removed it. The code is next-exit's: Podman 4.3 answers a `removed`
 * wait with `StatusCode: 0` whatever the exit code was (issue 17). A container removed by
 * force while it stops may never answer next-exit on Podman: after the removal it has
 * {@link NEXT_EXIT_GRACE_MS}, then the removal's code stands and its request is dropped (an
 * open request would keep berth from exiting).
 */
async function registeredExit(
  container: Dockerode.Container,
  autoRemoved: boolean,
): Promise<{ exited: Promise<number> }> {
  if (!autoRemoved) return registeredWait(container, 'next-exit');
  const dropExitWait = new AbortController();
  const [exit, removal] = await Promise.all([
    registeredWait(container, 'next-exit', dropExitWait.signal),
    registeredWait(container, 'removed'),
  ]);
  const exited = removal.exited
    .then((removedCode) =>
      Promise.race([
        exit.exited.catch(() => removedCode),
        new Promise<number>((r) => setTimeout(() => r(removedCode), NEXT_EXIT_GRACE_MS).unref()),
      ]),
    )
    .finally(() => dropExitWait.abort());
  exited.catch(() => undefined);
  return { exited };
}

/** How long to wait for the engine to take a wait before going on without that proof. */
const WAIT_REGISTERED_PATIENCE_MS = 3000;

/**
 * Asks the engine to wait for `condition` and resolves once it has taken the wait: Docker
 * (API 1.30+) and Podman send the answer's headers as soon as the wait is registered and
 * the body (`{"StatusCode": n}`) when the condition is met. Waiting for the headers keeps
 * a start that follows from winning the race (a process that exits at once would leave a
 * `next-exit` wait hanging). `exited` is the exit code; it rejects with the
 * engine's error (404: no such container), or when `abortSignal` drops the request. Its
 * failure is handled until it is read.
 */
function registeredWait(
  container: Dockerode.Container,
  condition: 'removed' | 'next-exit',
  abortSignal?: AbortSignal,
): Promise<{ exited: Promise<number> }> {
  return new Promise((registered) => {
    const exited = new Promise<number>((resolve, reject) => {
      container.modem.dial(
        {
          path: `/containers/${container.id}/wait?`,
          method: 'POST',
          ...(abortSignal ? { abortSignal } : {}),
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
