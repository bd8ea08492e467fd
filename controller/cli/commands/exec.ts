import type { EngineStreams } from '../../engine/engine-streams.js';
import { BerthError } from '../../errors.js';
import type { CliContext, CommonOptions } from '../context.js';
import {
  connectStreams,
  firstContainer,
  listByName,
  missingContainer,
} from '../project-containers.js';
import { resolveProjectName } from '../project-name.js';
import { followWindowSize, pipeInput, type TtyIn, type TtyOut } from '../terminal.js';

export interface ExecOptions extends CommonOptions {
  interactive?: boolean;
  tty?: boolean;
  user?: string;
  workdir?: string;
  env?: string[];
}

/**
 * `berth exec NAME [-i] [-t] [-u USER] [-w DIR] [-e K=V] -- CMD…`: runs a command in the
 * declared container; its exit code becomes berth's. A container that is not running is
 * refused naming its state (exit 1), as is an unknown name.
 */
export async function run(
  ctx: CliContext,
  name: string,
  command: string[],
  options: ExecOptions,
): Promise<number> {
  const project = execProject(ctx, command, options);
  const engine = await ctx.engine();
  const byName = await listByName(engine, project);
  const container = firstContainer(byName, name);
  if (!container) throw await missingContainer(ctx, project, name, byName);
  if (container.state !== 'running') {
    throw new BerthError('E_STATE', `container ${container.name} is ${container.state}`, {
      object: `Container/${name}`,
      hint: container.state === 'paused' ? 'unpause it first' : 'start it first (berth apply)',
    });
  }
  return execIn(ctx, await connectStreams(ctx), container.id, command, options);
}

/** The project of `exec` (E_USAGE first when no command was given). */
export function execProject(ctx: CliContext, command: string[], options: ExecOptions): string {
  if (!command.length)
    throw new BerthError('E_USAGE', 'exec needs a command: berth exec NAME -- CMD…');
  return resolveProjectName(options.project, [], ctx.cwd, ctx.env);
}

/**
 * Runs `command` in container `id` through `streams` (whichever engine holds it: berth's,
 * or a Swarm task's node) and resolves with its exit code; `-i` pipes stdin, `-t` follows
 * the terminal's size.
 */
export async function execIn(
  ctx: CliContext,
  streams: EngineStreams,
  id: string,
  command: string[],
  options: ExecOptions,
): Promise<number> {
  const tty = Boolean(options.tty);
  const session = await streams.exec(id, {
    command,
    stdin: Boolean(options.interactive),
    tty,
    env: options.env ?? [],
    ...(options.user !== undefined ? { user: options.user } : {}),
    ...(options.workdir !== undefined ? { workingDir: options.workdir } : {}),
  });
  session.onOutput((stream, chunk) => (stream === 'stderr' ? ctx.stderr : ctx.stdout).write(chunk));
  const releaseInput = options.interactive ? pipeInput(ctx.stdin as TtyIn, session, tty) : () => {};
  const releaseSize = tty ? followWindowSize(ctx.stdout as TtyOut, session) : () => {};
  try {
    return await session.exitCode;
  } finally {
    releaseInput();
    releaseSize();
  }
}
