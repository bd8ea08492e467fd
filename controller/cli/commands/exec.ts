import type { ExecSession } from '../../engine/engine-streams.js';
import { BerthError } from '../../errors.js';
import type { CliContext, CommonOptions } from '../context.js';
import {
  connectStreams,
  firstContainer,
  listByName,
  missingContainer,
} from '../project-containers.js';
import { resolveProjectName } from '../project-name.js';

export interface ExecOptions extends CommonOptions {
  interactive?: boolean;
  tty?: boolean;
  user?: string;
  workdir?: string;
  env?: string[];
}

type TtyIn = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
type TtyOut = CliContext['stdout'] & { rows?: number };

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
  if (!command.length)
    throw new BerthError('E_USAGE', 'exec needs a command: berth exec NAME -- CMD…');
  const project = resolveProjectName(options.project, [], ctx.cwd);
  const engine = await ctx.engine();
  const container = firstContainer(await listByName(engine, project), name);
  if (!container) throw await missingContainer(ctx, project, name);
  if (container.state !== 'running') {
    throw new BerthError('E_STATE', `container ${container.name} is ${container.state}`, {
      object: `Container/${name}`,
      hint: container.state === 'paused' ? 'unpause it first' : 'start it first (berth apply)',
    });
  }
  const streams = await connectStreams(ctx);
  const tty = Boolean(options.tty);
  const session = await streams.exec(container.id, {
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

/**
 * Sends stdin to the command; EOF closes the command's stdin. With `-t` on a terminal the
 * terminal goes raw, so keys (Ctrl-C, Ctrl-D) reach the command rather than berth.
 */
function pipeInput(stdin: TtyIn, session: ExecSession, tty: boolean): () => void {
  const raw = tty && stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  if (raw) stdin.setRawMode!(true);
  const onData = (chunk: Buffer | string) => session.write(chunk);
  const onEnd = () => session.endInput();
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  stdin.resume();
  return () => {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    // Let the process end although stdin could still deliver.
    stdin.pause();
    if (raw) stdin.setRawMode!(false);
  };
}

/** Gives the command the terminal's size now and after every SIGWINCH. */
function followWindowSize(stdout: TtyOut, session: ExecSession): () => void {
  if (!stdout.isTTY) return () => {};
  const resize = () => {
    if (stdout.rows && stdout.columns) session.resize(stdout.rows, stdout.columns).catch(() => {});
  };
  resize();
  process.on('SIGWINCH', resize);
  return () => process.off('SIGWINCH', resize);
}
