import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type { EngineAddress } from './engine-address.js';
import { dockerOptions } from './docker-connect.js';
import { statusOf, toEngineError } from './docker-errors.js';
import { FrameDemuxer, StampedLineJoiner } from './docker-streams-demux.js';
import { TtyMessageSplitter } from './docker-streams-tty.js';
import { PodmanTtyMessageSplitter } from './docker-streams-tty-podman.js';
import { attachDockerContainer } from './docker-streams-attach.js';
import { startDockerExec } from './docker-streams-exec.js';
import type {
  AttachRequest,
  ContainerPathStat,
  EngineStreams,
  ExecRequest,
  ExecSession,
  LogLine,
  LogStreamOptions,
  LogSubscription,
  OutputStream,
} from '../engine-streams.js';

/**
 * The Docker adapter's streaming calls. dockerode is imported lazily, as in
 * docker-engine.ts, so commands that never stream never load it.
 */
export async function createDockerStreams(address: EngineAddress): Promise<EngineStreams> {
  const { default: Docker } = await import('dockerode');
  return new DockerStreams(new Docker(dockerOptions(address)), address.display);
}

/** Go's os.ModeDir, as the archive stat header reports modes. */
const GO_MODE_DIR = 2 ** 31;

export class DockerStreams implements EngineStreams {
  constructor(
    private readonly docker: Dockerode,
    private readonly address: string,
  ) {}

  async streamLogs(
    containerId: string,
    options: LogStreamOptions,
    onLine: (line: LogLine) => void,
  ): Promise<LogSubscription> {
    // A TTY container's log is one raw stream; everything else is multiplexed.
    const tty = await this.isTty(containerId);
    const stream = await this.dialStream(containerId, 'logs', {
      follow: options.follow,
      stdout: true,
      stderr: true,
      timestamps: true,
      ...(options.since !== undefined ? { since: options.since } : {}),
      tail: options.tail === undefined ? 'all' : String(options.tail),
    });
    return followLines(stream, tty, onLine);
  }

  exec(containerId: string, request: ExecRequest): Promise<ExecSession> {
    return this.call('exec', containerId, () =>
      startDockerExec(this.docker.getContainer(containerId), request),
    );
  }

  attach(containerId: string, request: AttachRequest): Promise<ExecSession> {
    return this.call('attach', containerId, () =>
      attachDockerContainer(this.docker.getContainer(containerId), request),
    );
  }

  getArchive(containerId: string, path: string): Promise<NodeJS.ReadableStream> {
    return this.call('copy from', `${containerId}:${path}`, async () => {
      return (await this.docker
        .getContainer(containerId)
        .getArchive({ path })) as NodeJS.ReadableStream;
    });
  }

  async putArchive(containerId: string, dir: string, tar: NodeJS.ReadableStream): Promise<void> {
    await this.call('copy to', `${containerId}:${dir}`, () =>
      this.docker.getContainer(containerId).putArchive(tar, { path: dir }),
    );
  }

  async statPath(containerId: string, path: string): Promise<ContainerPathStat | undefined> {
    let response: { headers: Record<string, string | undefined>; resume?: () => void };
    try {
      response = (await this.docker
        .getContainer(containerId)
        .infoArchive({ path })) as unknown as typeof response;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw toEngineError(e, this.address, 'stat', `${containerId}:${path}`);
    }
    response.resume?.();
    const header = response.headers['x-docker-container-path-stat'];
    if (!header) return undefined;
    const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as {
      name: string;
      size: number;
      mode: number;
      linkTarget?: string;
    };
    return {
      name: stat.name,
      size: stat.size,
      mode: stat.mode,
      isDirectory: Math.floor(stat.mode / GO_MODE_DIR) % 2 === 1,
      linkTarget: stat.linkTarget ?? '',
    };
  }

  private async isTty(containerId: string): Promise<boolean> {
    const info = await this.call('inspect container', containerId, () =>
      this.docker.getContainer(containerId).inspect(),
    );
    return Boolean(info.Config?.Tty);
  }

  /**
   * dockerode's `logs()` buffers and JSON-parses the answer when not following (a log
   * whose only line is `42` would come back as a number), so the stream is dialled here.
   */
  private dialStream(
    containerId: string,
    endpoint: string,
    query: Record<string, unknown>,
  ): Promise<NodeJS.ReadableStream> {
    return this.call(endpoint, containerId, () => {
      return new Promise<NodeJS.ReadableStream>((resolve, reject) => {
        this.docker.modem.dial(
          {
            path: `/containers/${containerId}/${endpoint}?`,
            method: 'GET',
            isStream: true,
            statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
            options: query,
          },
          (err, stream) => (err ? reject(err) : resolve(stream as NodeJS.ReadableStream)),
        );
      });
    });
  }

  private async call<T>(operation: string, target: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw toEngineError(e, this.address, operation, target);
    }
  }
}

/**
 * Reads a log stream into timestamped lines per output stream until it ends or is closed.
 * A multiplexed stream is read frame by frame, a TTY's raw stream message by message
 * (TtyMessageSplitter; PodmanTtyMessageSplitter when the answer's `Server` header names
 * Libpod, whose pieces have no fixed size), so the pieces of a long line join without the
 * engine's stamps between them. A TTY ends its lines with `\r\n`; the `\r` is not part
 * of the line.
 */
function followLines(
  stream: NodeJS.ReadableStream,
  tty: boolean,
  onLine: (line: LogLine) => void,
): LogSubscription {
  const joiner = (name: OutputStream) =>
    new StampedLineJoiner((time, text) =>
      onLine({ stream: name, time, text: tty && text.endsWith('\r') ? text.slice(0, -1) : text }),
    );
  const out = joiner('stdout');
  const err = joiner('stderr');
  const demuxer = new FrameDemuxer((name, payload) =>
    (name === 'stderr' ? err : out).push(payload),
  );
  const onMessage = (message: Buffer) => out.push(message);
  const messages = fromPodman(stream)
    ? new PodmanTtyMessageSplitter(onMessage)
    : new TtyMessageSplitter(onMessage);
  let finish: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    messages.end();
    out.end();
    err.end();
    finish();
  };
  stream.on('data', (chunk: Buffer) => (tty ? messages.push(chunk) : demuxer.push(chunk)));
  stream.on('end', end);
  stream.on('close', end);
  stream.on('error', end);
  return {
    ended,
    close() {
      (stream as Duplex).destroy?.();
      end();
    },
  };
}

/** Whether a stream is an answer from Podman (`Server: Libpod/…`, ENGINE-NOTES.md "Podman"). */
function fromPodman(stream: NodeJS.ReadableStream): boolean {
  return /libpod/i.test(String((stream as Partial<IncomingMessage>).headers?.server ?? ''));
}
