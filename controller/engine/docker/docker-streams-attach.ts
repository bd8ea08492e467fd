import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { hijackedSession } from './docker-streams-exec.js';
import type { AttachRequest, ExecSession } from '../engine-streams.js';

/**
 * Attaches to a container's own process (`POST /containers/{id}/attach` upgraded to a raw
 * socket), as `docker run -i`/`-t` does: call it before starting the container so no
 * output is missed. The exit code is the container's, from `POST /containers/{id}/wait`
 * once the output has ended.
 */
export async function attachDockerContainer(
  container: Dockerode.Container,
  request: AttachRequest,
): Promise<ExecSession> {
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
    async () => ((await container.wait()) as { StatusCode: number }).StatusCode,
    (rows, columns) => container.resize({ h: rows, w: columns }),
  );
}
