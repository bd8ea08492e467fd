import type { CliContext } from './context.js';
import type { Engine, EngineEvent, ObservedContainer } from '../engine/engine.js';
import type { EngineStreams, LogSubscription } from '../engine/engine-streams.js';
import { LABEL } from '../labels.js';
import { LogCursor } from './logs-cursor.js';
import { LinePrefixer, LogMerger, type LogSink } from './logs-merge.js';
import { ownedContainerName } from '../container-names.js';
import { listByName, matchesSelector } from './project-containers.js';

export interface LogSessionOptions {
  follow: boolean;
  /** Engine `since` (Unix seconds, fractional). */
  since?: string;
  tail?: number;
  timestamps: boolean;
  color: boolean;
  /** `-l key=value`: containers that appear while following are matched against it too. */
  selector: string[];
  /** Names asked for; empty: every container of the project, including ones created later. */
  names: string[];
  /** attach: say when a followed container exits, with its exit code (engine `die` events). */
  announceExits?: boolean;
  /**
   * With follow: end the session once every followed container has exited for good — the
   * engine will not restart it (restart policy `no`, or `on-failure` after exit code 0) — as
   * `docker compose up` and `docker logs -f` return when their containers are done.
   */
  untilExited?: boolean;
}

export interface LogSessionDeps {
  engine: Engine;
  streams: EngineStreams;
  project: string;
  sink: LogSink;
  now(): number;
}

/** A session writing to the command's stdout and stderr. */
export function cliSessionDeps(
  ctx: Pick<CliContext, 'stdout' | 'stderr' | 'now'>,
  engine: Engine,
  streams: EngineStreams,
  project: string,
): LogSessionDeps {
  return {
    engine,
    streams,
    project,
    now: ctx.now,
    sink: { stdout: (t) => ctx.stdout.write(t), stderr: (t) => ctx.stderr.write(t) },
  };
}

/** Longest wait between looks for a container whose stream keeps ending at once. */
const MAX_RETRY_MS = 2_000;
const LIVE_STATES = new Set(['running', 'paused', 'restarting']);

/**
 * The logs of a project's containers by declared name. Without follow: every container's
 * log read to its end, then written interleaved by time. With follow: the same backlog,
 * then one engine stream per container, resumed (re-listing the project by name) whenever
 * it ends — a restart or a recreate continues under the same name — until `signal` aborts
 * or, with `untilExited`, every followed container has exited for good.
 */
export async function runLogSession(
  deps: LogSessionDeps,
  initial: Map<string, ObservedContainer>,
  options: LogSessionOptions,
  signal: AbortSignal,
): Promise<void> {
  const session = new LogSession(deps, options, signal);
  await session.run(initial);
}

class LogSession {
  private readonly merger: LogMerger;
  private readonly prefixer: LinePrefixer;
  private readonly cursors = new Map<string, LogCursor>();
  private readonly streamsOpen = new Set<LogSubscription>();
  private readonly startWaiters = new Map<string, (() => void)[]>();
  /** Exit codes from `die` events, by container id, until that container's stream ends. */
  private readonly exits = new Map<string, string>();
  /** Containers whose exit was already said (the event and the inspect may both tell it). */
  private readonly announced = new Set<string>();
  private readonly streaming = new Set<string>();
  private flushScheduled = false;
  /** Followers still following; with `untilExited` the session ends when none is left. */
  private active = 0;
  private allExited: () => void = () => undefined;

  constructor(
    private readonly deps: LogSessionDeps,
    private readonly options: LogSessionOptions,
    private readonly signal: AbortSignal,
  ) {
    this.prefixer = new LinePrefixer({
      names: [],
      color: options.color,
      timestamps: options.timestamps,
    });
    this.merger = new LogMerger(this.prefixer, deps.sink);
  }

  async run(initial: Map<string, ObservedContainer>): Promise<void> {
    this.prefixer.widen([...initial.keys()]);
    const startedAt = this.deps.now();
    await this.readBacklog(initial);
    if (!this.options.follow || this.signal.aborted) return;
    const events = this.deps.engine.subscribeEvents({ project: this.deps.project }, (e) =>
      this.onEvent(e),
    );
    this.followers = [...initial].map(([name, c]) => this.track(name, c.id, startedAt));
    await new Promise<void>((resolve) => {
      if (this.signal.aborted || (this.options.untilExited && this.active === 0)) return resolve();
      this.allExited = resolve;
      this.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    this.stopped = true;
    events.close();
    for (const sub of this.streamsOpen) sub.close();
    for (const waiters of this.startWaiters.values()) waiters.forEach((wake) => wake());
    this.startWaiters.clear();
    await Promise.all(this.followers);
    this.merger.flush();
  }

  private followers: Promise<void>[] = [];
  /** Set once the session ends, by Ctrl-C or because every container is done. */
  private stopped = false;

  /** `follow`, counted: with `untilExited`, the last follower to finish ends the session. */
  private track(name: string, id: string | undefined, startedAt: number) {
    this.active++;
    return this.follow(name, id, startedAt).finally(() => {
      this.active--;
      if (this.options.untilExited && this.active === 0) this.allExited();
    });
  }

  /** Reads each container's log to its end (not following) and writes them merged by time. */
  private async readBacklog(initial: Map<string, ObservedContainer>): Promise<void> {
    const reads = [...initial].map(async ([name, container]) => {
      const cursor = this.cursorFor(name);
      cursor.resume(container.id);
      const sub = await this.deps.streams.streamLogs(
        container.id,
        { follow: false, ...this.window() },
        (line) => cursor.accept(line) && this.merger.add(name, line),
      );
      await sub.ended;
    });
    await Promise.all(reads);
    this.merger.flush();
  }

  private window(): { since?: string; tail?: number } {
    return {
      ...(this.options.since !== undefined ? { since: this.options.since } : {}),
      ...(this.options.tail !== undefined ? { tail: this.options.tail } : {}),
    };
  }

  /**
   * Follows one name across restarts, recreates and updates until the session stops; each
   * container the name moves to is read from where this session left it (its start, for one
   * not seen before: logs-cursor.ts).
   */
  private async follow(name: string, firstId: string | undefined, startedAt: number) {
    const cursor = this.cursorFor(name);
    let id = firstId;
    let retryMs = 100;
    while (!this.signal.aborted && !this.stopped) {
      if (id !== undefined) {
        const began = this.deps.now();
        const gotLines = await this.streamUntilEnd(name, id, cursor, startedAt).catch(() => false);
        this.flushNow();
        this.announceExit(name, id);
        // A stream that ends at once, empty, means the container is not really running
        // (stopping, or between restarts): look again a little later, not in a tight loop.
        const quick = !gotLines && this.deps.now() - began < 200;
        retryMs = quick ? Math.min(retryMs * 2, MAX_RETRY_MS) : 100;
        if (quick) await this.sleep(retryMs);
      }
      if (this.signal.aborted || this.stopped) return;
      const started = this.nextStart(name);
      const current = (
        await listByName(this.deps.engine, this.deps.project).catch(() => undefined)
      )?.get(name);
      if (current && LIVE_STATES.has(current.state)) {
        id = current.id;
        continue;
      }
      const done = current && this.options.untilExited && (await this.exitedForGood(current.id));
      if (current && done) {
        // Its die event may still be on its way: say how it ended from the inspect.
        if (!this.exits.has(current.id)) this.exits.set(current.id, String(done.exitCode));
        this.announceExit(name, current.id);
        return;
      }
      id = undefined;
      await started;
    }
  }

  /** One follow stream of one container; resolves with whether it brought any line. */
  private async streamUntilEnd(
    name: string,
    id: string,
    cursor: LogCursor,
    startedAt: number,
  ): Promise<boolean> {
    const readBefore = cursor.resume(id);
    let gotLines = false;
    // Nothing seen yet: after a --tail of 0 or an empty log, start where the backlog ended.
    const since =
      cursor.since ??
      this.options.since ??
      (this.options.tail !== undefined && readBefore ? String(startedAt / 1000) : undefined);
    // Streaming from the moment the stream is asked for: a `die` that comes while it opens
    // (a short-lived container's start and die arrive together) is said after its lines,
    // when the stream ends, not before them.
    this.streaming.add(id);
    try {
      const sub = await this.deps.streams.streamLogs(
        id,
        { follow: true, ...(since ? { since } : {}) },
        (line) => {
          if (!cursor.accept(line)) return;
          gotLines = true;
          this.merger.add(name, line);
          this.scheduleFlush();
        },
      );
      this.streamsOpen.add(sub);
      if (this.signal.aborted) sub.close();
      await sub.ended;
      this.streamsOpen.delete(sub);
    } finally {
      this.streaming.delete(id);
    }
    return gotLines;
  }

  /** Exited, and the engine will not start it again by itself (see `untilExited`). */
  private async exitedForGood(id: string): Promise<{ exitCode: number } | undefined> {
    const d = await this.deps.engine.inspectContainer(id).catch(() => undefined);
    if (!d || (d.state !== 'exited' && d.state !== 'dead')) return undefined;
    const forGood =
      d.restartPolicy === 'no' || (d.restartPolicy === 'on-failure' && d.exitCode === 0);
    return forGood ? { exitCode: d.exitCode } : undefined;
  }

  private onEvent(event: EngineEvent): void {
    if (event.type !== 'container') return;
    const name = ownedContainerName(event, this.deps.project);
    if (name === undefined || event.labels[LABEL.kind] !== 'Container') return;
    if (event.action === 'start') {
      this.announced.delete(event.id); // a restart: its next exit is news again
      this.onStart(name, event);
    }
    if (
      event.action === 'die' &&
      this.options.announceExits &&
      this.cursors.has(name) &&
      !this.announced.has(event.id)
    ) {
      this.exits.set(event.id, event.attributes?.exitCode ?? '?');
      // The stream may already have ended before the event came: say it now.
      if (!this.streaming.has(event.id)) this.announceExit(name, event.id);
    }
  }

  private onStart(name: string, event: EngineEvent): void {
    const waiters = this.startWaiters.get(name);
    if (waiters) {
      this.startWaiters.delete(name);
      waiters.forEach((wake) => wake());
      return;
    }
    if (this.cursors.has(name)) return;
    // A container that appeared while following: wanted when no names were given.
    if (this.options.names.length || !matchesSelector(event.labels, this.options.selector)) return;
    this.prefixer.widen([name]);
    this.followers.push(this.track(name, event.id, this.deps.now()));
  }

  private announceExit(name: string, id: string): void {
    const code = this.exits.get(id);
    if (code === undefined) return;
    this.exits.delete(id);
    if (!this.options.announceExits || this.announced.has(id)) return;
    this.announced.add(id);
    this.flushNow();
    this.deps.sink.stdout(this.prefixer.note(name, `exited with code ${code}`));
  }

  private nextStart(name: string): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.startWaiters.get(name) ?? [];
      waiters.push(resolve);
      this.startWaiters.set(name, waiters);
    });
  }

  private cursorFor(name: string): LogCursor {
    let cursor = this.cursors.get(name);
    if (!cursor) this.cursors.set(name, (cursor = new LogCursor()));
    return cursor;
  }

  /** Coalesces the lines that arrive in one turn of the event loop into one write. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushNow());
  }

  private flushNow(): void {
    this.flushScheduled = false;
    this.merger.flush();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
