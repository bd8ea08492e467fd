/**
 * The streaming side of an engine: container logs, exec sessions and file archives.
 * Kept apart from {@link Engine} because these calls hand back long-lived byte streams
 * rather than snapshots, and only the everyday commands (logs, exec, cp, attach) need them.
 *
 * Failures reject with an EngineError (E_NOT_FOUND for a missing container or path,
 * E_ENGINE_UNREACHABLE, E_ENGINE otherwise), as the rest of the engine interface does.
 */

export type OutputStream = 'stdout' | 'stderr';

/** One complete log line, without its trailing newline. */
export interface LogLine {
  stream: OutputStream;
  /**
   * The engine's timestamp in a fixed-width form (`2024-05-01T10:00:00.123456789Z`), so
   * plain string comparison orders lines by time.
   */
  time: string;
  text: string;
}

export interface LogStreamOptions {
  follow: boolean;
  /** Unix seconds, fractional allowed (nanosecond precision kept as a string). */
  since?: string;
  /** Lines from the end; undefined: all. */
  tail?: number;
}

export interface LogSubscription {
  /** Resolves when the engine closes the stream (container stopped, not following) or on close(). */
  readonly ended: Promise<void>;
  close(): void;
}

export interface ExecRequest {
  command: string[];
  /** Attach stdin (`-i`). */
  stdin: boolean;
  tty: boolean;
  user?: string;
  workingDir?: string;
  env: string[];
}

/** How to attach to a container's own process (`berth run -i/-t`). */
export interface AttachRequest {
  /** Send stdin (the container must have been created with an open stdin). */
  stdin: boolean;
  /** The container was created with a TTY: its output is one raw stream. */
  tty: boolean;
  /**
   * The container was created with `autoRemove`: the engine removes it right after it exits,
   * so its exit code is read from waits asked before the start (after the removal there is
   * nothing left to ask), and the session's exit code resolves once it is removed (as
   * `docker run --rm` does).
   */
  autoRemoved?: boolean;
}

/**
 * A started exec, or an attachment to a container's process: bytes in and out, a
 * terminal size, and its exit code once it ends.
 */
export interface ExecSession {
  /** What the command writes. Without a TTY, already split into stdout and stderr. */
  onOutput(listener: (stream: OutputStream, chunk: Buffer) => void): void;
  /** Bytes for the command's stdin (only with `stdin: true`). */
  write(chunk: Buffer | string): void;
  /** Closes the command's stdin (EOF), keeping its output flowing. */
  endInput(): void;
  resize(rows: number, columns: number): Promise<void>;
  /** Resolves with the command's exit code once its output has ended. */
  readonly exitCode: Promise<number>;
  /** Drops the connection (the command may keep running in the container). */
  close(): void;
}

/** What the engine says of a path inside a container. */
export interface ContainerPathStat {
  name: string;
  size: number;
  /** Go's os.FileMode bits: permission bits plus type flags (directory is 1<<31). */
  mode: number;
  isDirectory: boolean;
  linkTarget: string;
}

export interface EngineStreams {
  /**
   * One engine stream per call (no polling). Lines arrive in the container's order;
   * `onLine` must not block. Timestamps are always requested so callers can order
   * lines of several containers and resume a follow where it stopped.
   */
  streamLogs(
    containerId: string,
    options: LogStreamOptions,
    onLine: (line: LogLine) => void,
  ): Promise<LogSubscription>;

  exec(containerId: string, request: ExecRequest): Promise<ExecSession>;

  /**
   * Attaches to the container's own process; made before the container starts, it misses
   * no output. `exitCode` is the container's exit code.
   */
  attach(containerId: string, request: AttachRequest): Promise<ExecSession>;

  /** A tar stream of `path` (file or folder) inside the container. */
  getArchive(containerId: string, path: string): Promise<NodeJS.ReadableStream>;
  /** Extracts a tar stream into the existing folder `dir` inside the container. */
  putArchive(containerId: string, dir: string, tar: NodeJS.ReadableStream): Promise<void>;
  /** undefined when the path does not exist. */
  statPath(containerId: string, path: string): Promise<ContainerPathStat | undefined>;
}
