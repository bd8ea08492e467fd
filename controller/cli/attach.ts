import type { Engine } from '../engine/engine.js';
import type { EngineStreams } from '../engine/engine-streams.js';
import type { CliContext } from './context.js';
import { cliSessionDeps, runLogSession } from './logs-session.js';
import { connectStreams, requireContainers } from './project-containers.js';

export interface AttachOptions {
  /** Ctrl-C stops the project's containers instead of leaving them running. */
  stopOnExit: boolean;
  /** Engine `since` for the first lines shown (default: each container's whole log). */
  since?: string;
  /** Ends the attachment (default: SIGINT/SIGTERM of this process). */
  signal?: AbortSignal;
  /** The streaming engine (default: the one at ctx's engine address). */
  streams?: EngineStreams;
}

/** Stop timeout for `--stop-on-exit`, as Compose uses by default. */
const STOP_TIMEOUT_SEC = 10;

/**
 * `apply --attach`: streams the project's logs in the foreground (all containers when
 * `names` is empty) until Ctrl-C, or until every container has exited and none will be
 * restarted (as `docker compose up` returns). A followed container that exits is shown with
 * its exit code (engine `die` events). Ctrl-C detaches, leaving everything as declared, or
 * with `stopOnExit` stops the containers. Resolves with 0; failures throw as other commands do.
 */
export async function attachProject(
  ctx: CliContext,
  engine: Engine,
  project: string,
  names: string[],
  options: AttachOptions,
): Promise<number> {
  const containers = await requireContainers(ctx, engine, project, names);
  const streams = options.streams ?? (await connectStreams(ctx));
  const interrupt = options.signal ? undefined : interruptSignal();
  const signal = options.signal ?? interrupt!.signal;
  try {
    await runLogSession(
      cliSessionDeps(ctx, engine, streams, project),
      containers,
      {
        follow: true,
        ...(options.since !== undefined ? { since: options.since } : {}),
        timestamps: false,
        color: ctx.color,
        selector: [],
        names,
        announceExits: true,
        untilExited: true,
      },
      signal,
    );
  } finally {
    interrupt?.dispose();
  }
  // Every container ran to its end and none will be restarted: nothing left to attach to.
  if (!signal.aborted) return 0;
  if (!options.stopOnExit) {
    ctx.stdout.write('detached; containers keep running as declared\n');
    return 0;
  }
  const current = await requireContainers(ctx, engine, project, names);
  await Promise.all([...current.values()].map((c) => engine.stopContainer(c.id, STOP_TIMEOUT_SEC)));
  ctx.stdout.write(`stopped ${current.size} container${current.size === 1 ? '' : 's'}\n`);
  return 0;
}

/**
 * An AbortSignal that Ctrl-C (SIGINT) or SIGTERM aborts, for commands that run until
 * interrupted. `dispose` gives the signals back to their default handling.
 */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
