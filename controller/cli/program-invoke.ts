import type { LevelWithSilent } from 'pino';
import { exitCodeFor, formatError, toBerthError } from '../errors.js';
import { createLogger } from '../logger.js';
import { defaultStateDir, wantsColor, type CliContext, type CommonOptions } from './context.js';

/** A command module: `run` returns the exit code, or throws a BerthError. */
export interface CommandModule<A extends unknown[] = unknown[]> {
  run(ctx: CliContext, ...args: A): Promise<number>;
}

/** Loads a verb's command module (each verb's code loads only when that verb runs). */
export type Loader = () => Promise<CommandModule<never[]>>;

/** The process (or a test's) streams, environment and folder the CLI runs with. */
export interface CliIo {
  stdout: CliContext['stdout'];
  stderr: CliContext['stderr'];
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  argv?: readonly string[];
}

/**
 * Runs one verb: loads its module, hands it the context, and turns a thrown error into its
 * message on stderr and the exit code of its error code (the one place, errors.ts). A verb
 * that `printsDocuments` (`-o json|yaml`) also gets the error document on stdout then, so a
 * script reading it never parses an empty document (F465 e, F532).
 */
export async function invoke(
  load: Loader,
  io: CliIo,
  options: CommonOptions & { filename?: string[] },
  args: unknown[],
  printsDocuments = false,
): Promise<number> {
  const level = (options.logLevel ?? io.env.BERTH_LOG_LEVEL ?? 'info') as LevelWithSilent;
  const logger = createLogger(level, io.stderr as NodeJS.WriteStream);
  const ctx = makeContext(io, options, logger);
  try {
    const module = await load();
    return await (module.run as (c: CliContext, ...a: unknown[]) => Promise<number>)(ctx, ...args);
  } catch (e) {
    const error = toBerthError(e);
    if (printsDocuments) {
      // Loaded only on this path: most verbs never fail, and start without it.
      const { writeErrorDocument } = await import('./views/error-output.js');
      await writeErrorDocument(ctx, options, error);
    }
    io.stderr.write(formatError(error) + '\n');
    if (error.code === 'E_INTERNAL') logger.debug({ err: error.context.cause }, 'internal error');
    return exitCodeFor(error.code);
  }
}

function makeContext(io: CliIo, options: CommonOptions, logger: CliContext['logger']): CliContext {
  let engine: ReturnType<CliContext['engine']> | undefined;
  return {
    cwd: io.cwd,
    stdout: io.stdout,
    stderr: io.stderr,
    get stdin() {
      return io.stdin; // made only when read (program.ts)
    },
    env: io.env,
    color: wantsColor(io.stdout, io.env),
    logger,
    engineFlag: options.engine,
    ...(options.context ? { contextFlag: options.context } : {}),
    stateDir: defaultStateDir(io.env),
    now: () => Date.now(),
    argv: io.argv ?? [],
    ...(options.envFile ? { envFiles: options.envFile } : {}),
    engine: () => {
      engine ??= import('./connect-engine.js').then((m) =>
        m.connectEngine({ engine: options.engine, context: options.context }, io.env),
      );
      return engine;
    },
  };
}
