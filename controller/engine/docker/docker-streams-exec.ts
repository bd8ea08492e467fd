import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { FrameDemuxer } from './docker-streams-demux.js';
import type { ExecRequest, ExecSession, OutputStream } from '../engine-streams.js';

/** How long to wait for the engine to record an exec's exit code after its output ended. */
const EXIT_CODE_PATIENCE_MS = 5_000;

/**
 * Creates and starts an exec with a hijacked connection (`POST /exec/{id}/start` upgraded
 * to a raw socket): stdin is written to the socket, output read from it — multiplexed
 * unless a TTY was asked for. The exit code is read by inspecting the exec once the
 * output ends, since the stream itself does not carry it.
 */
export async function startDockerExec(
  container: Dockerode.Container,
  request: ExecRequest,
): Promise<ExecSession> {
  const exec = await container.exec({
    Cmd: request.command,
    AttachStdin: request.stdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: request.tty,
    Env: request.env,
    ...(request.user !== undefined ? { User: request.user } : {}),
    ...(request.workingDir !== undefined ? { WorkingDir: request.workingDir } : {}),
  });
  const socket = (await exec.start({
    hijack: true,
    stdin: request.stdin,
    Detach: false,
    Tty: request.tty,
  })) as Duplex;

  return hijackedSession(
    socket,
    request.tty,
    () => readExitCode(exec),
    (rows, columns) => exec.resize({ h: rows, w: columns }),
  );
}

/**
 * A session over a hijacked engine connection (exec or attach): bytes written go to the
 * process's stdin, bytes read are its output — multiplexed into stdout/stderr frames
 * unless it has a TTY. `readExit` is asked once the output has ended.
 */
export function hijackedSession(
  socket: Duplex,
  tty: boolean,
  readExit: () => Promise<number>,
  resize: (rows: number, columns: number) => Promise<unknown>,
): ExecSession {
  const listeners: ((stream: OutputStream, chunk: Buffer) => void)[] = [];
  const emit = (stream: OutputStream, chunk: Buffer) => {
    for (const listener of listeners) listener(stream, chunk);
  };
  const demuxer = new FrameDemuxer(emit);
  socket.on('data', (chunk: Buffer) => (tty ? emit('stdout', chunk) : demuxer.push(chunk)));
  const outputEnded = new Promise<void>((resolve) => {
    socket.on('end', resolve);
    socket.on('close', resolve);
    socket.on('error', resolve);
  });
  return {
    onOutput: (listener) => void listeners.push(listener),
    write: (chunk) => void socket.write(chunk),
    endInput: () => void socket.end(),
    resize: async (rows, columns) => {
      await resize(rows, columns);
    },
    exitCode: outputEnded.then(readExit),
    close: () => void socket.destroy(),
  };
}

/** The exec's exit code; the engine may need a moment after the stream closes to record it. */
async function readExitCode(exec: Dockerode.Exec): Promise<number> {
  const deadline = Date.now() + EXIT_CODE_PATIENCE_MS;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const info = await exec.inspect();
    if (!info.Running && typeof info.ExitCode === 'number') return info.ExitCode;
    // Still running after the patience: the connection dropped, not the command.
    if (Date.now() > deadline) return 1;
    await new Promise((r) => setTimeout(r, delay));
  }
}
