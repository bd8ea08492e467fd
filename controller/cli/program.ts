import { Command, Option } from 'commander';
import type { LevelWithSilent } from 'pino';
import { BerthError, exitCodeFor, formatError, toBerthError } from '../errors.js';
import { defaultStateDir, wantsColor, type CliContext, type CommonOptions } from './context.js';
import { withExamples } from './help-examples.js';
import { createLogger } from '../logger.js';
import { berthVersion } from './version.js';

/** A command module: `run` returns the exit code, or throws a BerthError. */
export interface CommandModule<A extends unknown[] = unknown[]> {
  run(ctx: CliContext, ...args: A): Promise<number>;
}

type Loader = () => Promise<CommandModule<never[]>>;

const collect = (value: string, previous: string[] = []) => [...previous, value];
const FILE_HELP = 'file or folder (repeatable, - for stdin; default: the current folder)';

/**
 * Builds the command tree. Every verb of DESIGN.md's CLI table is registered here; the
 * code of each lives in commands/ and loads only when that verb runs.
 */
export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('berth')
    .description('Declarative container reconciler for Docker-compatible engines')
    .version(berthVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  // Global flags are accepted before the verb too (`berth -p X status`); after it they win.
  withCommonOptions(program);

  const verb = (name: string, description: string) =>
    withExamples(withCommonOptions(program.command(name).description(description)), name);

  const action =
    (load: Loader) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = command.optsWithGlobals<CommonOptions & { filename?: string[] }>();
      const positional = args.slice(0, -2);
      if (!options.filename && defaultsToHere(command.name(), positional)) options.filename = ['.'];
      // `--backend swarm`: the verb runs against a Swarm manager (controller/swarm/).
      const chosen: Loader =
        options.backend === 'swarm'
          ? () => import('./commands/swarm.js').then((m) => m.swarmVerb(command.name()))
          : load;
      setExit(await invoke(chosen, io, options, [...positional, options]));
    };

  withPolicyOptions(verb('validate', 'check manifests: syntax, schema, references, policy'))
    .option('-f, --filename <path>', FILE_HELP, collect)
    .addOption(envFileOption())
    .addOption(outputOption(['text', 'json']))
    .action(action(() => import('./commands/validate.js')));

  withPolicyOptions(verb('plan', 'show what apply would do, changing nothing'))
    .option('-f, --filename <path>', FILE_HELP, collect)
    .addOption(envFileOption())
    .option('--prune', 'include owned objects that are no longer declared')
    .option('--exit-code', 'exit 2 when there are changes')
    .addOption(outputOption(['text', 'json']))
    .action(action(() => import('./commands/plan.js')));

  verb('diff', 'plan with the changed fields, old → new')
    .option('-f, --filename <path>', FILE_HELP, collect)
    .addOption(envFileOption())
    .option('--prune', 'include owned objects that are no longer declared')
    .action(action(() => import('./commands/diff.js')));

  withPolicyOptions(verb('apply', 'converge the engine to the manifests and wait'))
    .option('-f, --filename <path>', FILE_HELP, collect)
    .addOption(envFileOption())
    .option('--prune', 'delete owned objects that are no longer declared')
    .option('--timeout <duration>', 'give up after this long', '5m')
    .option('--parallel <n>', 'independent operations at once', '8')
    .option('--dry-run', 'print the plan, change nothing')
    .option('--force', 'with --prune: also delete objects another folder of the project applied')
    .addOption(lockTimeoutOption())
    .option(
      '--wait',
      'also wait until every running container is ready (healthy, not crash-looping)',
    )
    .option('--attach', 'after converging, stream logs in the foreground')
    .option('--stop-on-exit', 'with --attach: stop the containers on Ctrl-C')
    .addOption(outputOption(['text', 'json']))
    .action(action(() => import('./commands/apply.js')));

  withPolicyOptions(verb('up', 'apply, then stream logs in the foreground (apply --attach)'))
    .option(
      '-f, --filename <path>',
      'file or folder (repeatable; default: the current folder)',
      collect,
    )
    .addOption(envFileOption())
    .option('--prune', 'delete owned objects that are no longer declared')
    .option('--timeout <duration>', 'give up after this long', '5m')
    .option('--parallel <n>', 'independent operations at once', '8')
    .option('--stop-on-exit', 'stop the containers on Ctrl-C')
    .addOption(lockTimeoutOption())
    .action(action(() => import('./commands/up.js')));

  verb('delete', 'remove declared objects, in reverse dependency order')
    .argument('[target]', 'KIND/NAME of one object')
    .option('--purge', 'also remove volumes that retain their data (the data goes too)')
    .addOption(lockTimeoutOption())
    .option(
      '-f, --filename <path>',
      'file or folder (repeatable, - for stdin; default: the current folder)',
      collect,
    )
    .option('--timeout <duration>', 'give up after this long', '5m')
    .option('--parallel <n>', 'independent operations at once', '8')
    .action(action(() => import('./commands/delete.js')));

  verb('get', 'list objects with desired and observed state')
    .argument('[target]', 'KIND or KIND/NAME')
    .option('-f, --filename <path>', 'compare against these files', collect)
    .option('-w, --watch', 'keep the view updated')
    .option('-A, --all-projects', 'every berth project on the engine')
    .addOption(outputOption(['table', 'wide', 'json', 'yaml']))
    .action(action(() => import('./commands/get.js')));

  verb('describe', 'one object: spec, status, conditions, recent events')
    .argument('<target>', 'KIND/NAME')
    .option('-f, --filename <path>', 'compare against these files', collect)
    .addOption(outputOption(['text', 'json', 'yaml']))
    .action(action(() => import('./commands/describe.js')));

  verb('status', 'is the project in sync; each object with its state and reason')
    .option('-f, --filename <path>', 'compare against these files', collect)
    .option('--history', 'show the applies instead')
    .addOption(outputOption(['table', 'wide', 'json', 'yaml']))
    .action(action(() => import('./commands/status.js')));

  verb('history', "the project's applies, newest first")
    .addOption(outputOption(['table', 'json', 'yaml']))
    .action(action(() => import('./commands/history.js')));

  withPolicyOptions(
    verb('watch', 'run the controller: folder + engine events + resync + status API'),
  )
    .argument('[dir]', 'folder of manifests (or --git URL)')
    .option(
      '--git <url>',
      'watch a git repository (path, file://, https://, ssh) instead of a folder',
    )
    .option('--ref <ref>', 'with --git: branch or tag (default: the remote HEAD)')
    .option('--path <dir>', 'with --git: folder of manifests inside the repository')
    .option('--interval <duration>', 'with --git: how often to check a remote ref', '60s')
    .option('--webhook-secret <secret>', 'with --git: accept POST /api/v1/webhook signed with it')
    .option('--verify-signatures', 'with --git: apply only commits signed by --allowed-signers')
    .option('--allowed-signers <file>', 'SSH allowed-signers file for --verify-signatures')
    .option(
      '--host-root <dir>',
      'with --git: where relative bind-mount host paths resolve (default: .)',
    )
    .addOption(envFileOption('in the watched folder'))
    .option('--listen <addr>', 'status API address', '127.0.0.1:7337')
    .option('--token <token>', 'bearer token for the status API')
    .option('--resync <duration>', 'full resync period', '60s')
    .option('--allow-empty', 'let an empty folder delete everything')
    .option('--force', 'also prune objects another folder of the project applied')
    .addOption(lockTimeoutOption())
    .option('--parallel <n>', 'independent operations at once', '8')
    .option('--ui-actions', 'web view: offer sync and restart buttons (read-only without)')
    .action(action(() => import('./commands/watch.js')));

  verb('logs', 'logs of declared containers, interleaved with name prefixes')
    .argument('[names...]', 'declared container names (default: all)')
    .option('-f, --follow', 'follow')
    .option('--since <when>', 'duration (10m) or time')
    .option('--tail <n>', 'lines from the end of each log')
    .option('-t, --timestamps', 'show timestamps')
    .option('-l, --selector <key=value>', 'select by metadata.labels', collect)
    .action(action(() => import('./commands/logs.js')));

  verb('exec', 'run a command in a declared container')
    .argument('<name>', 'declared container name')
    .argument('<command...>', 'command and arguments (after --)')
    .option('-i, --interactive', 'keep stdin open')
    .option('-t, --tty', 'allocate a terminal')
    .option('-u, --user <user>', 'user')
    .option('-w, --workdir <dir>', 'working directory')
    .option('-e, --env <K=V>', 'environment variable', collect)
    .action(action(() => import('./commands/exec.js')));

  verb('cp', 'copy files between a declared container and the host')
    .argument('<source>', 'NAME:PATH or local path (- for a tar stream)')
    .argument('<destination>', 'NAME:PATH or local path (- for a tar stream)')
    .action(action(() => import('./commands/cp.js')));

  verb('import', 'convert Compose files into berth manifests')
    .option(
      '-f, --filename <path>',
      'Compose file (repeatable; default: compose.yaml and its override here)',
      collect,
    )
    .option('-o, --output <dir>', 'write the manifests into this folder (default: print them)')
    .option('--profile <name>', 'activate a Compose profile (repeatable)', collect)
    .action(action(() => import('./commands/import.js')));

  verb('rollback', 'converge to an earlier apply of the project (default: the one before the last)')
    .argument('[apply]', "an id from berth history, or a commit's short sha")
    .option('--timeout <duration>', 'give up after this long', '5m')
    .option('--parallel <n>', 'independent operations at once', '8')
    .addOption(lockTimeoutOption())
    .action(action(() => import('./commands/rollback.js')));

  verb('hold', 'stop the controller applying new source revisions of the project').action(
    action(() => import('./commands/hold.js')),
  );

  verb('release', 'let the controller apply new source revisions again').action(
    action(() => import('./commands/hold.js').then((m) => ({ run: m.release }))),
  );

  verb('export', 'write the set as objects of another platform (kubernetes)')
    .argument('<target>', 'kubernetes')
    .option(
      '-f, --filename <path>',
      'file or folder (repeatable; default: the current folder)',
      collect,
    )
    .option(
      '-o, --output <dir>',
      'write one file per object into this folder (default: print them)',
    )
    .action(action(() => import('./commands/export.js')));

  verb('down', "delete the project's last applied set (volumes kept unless --volumes)")
    .option('--volumes', 'also remove the volumes, with their data')
    .option('--force', 'also delete what another folder of the project applied')
    .addOption(lockTimeoutOption())
    .option('--timeout <duration>', 'give up after this long', '5m')
    .option('--parallel <n>', 'independent operations at once', '8')
    .action(action(() => import('./commands/down.js')));

  verb('restart', 'restart declared containers without a spec change')
    .argument('<names...>', 'declared container names')
    .action(action(() => import('./commands/restart.js')));

  verb('run', "a one-off container from a declared container's spec")
    .argument('<name>', 'declared container name')
    .argument('[args...]', 'replace the declared args (after --)')
    .option(
      '-f, --filename <path>',
      'take the spec from these files (default: the last apply)',
      collect,
    )
    .option('--rm', 'remove the container when it exits')
    .option('-i, --interactive', 'keep stdin open')
    .option('-t, --tty', 'allocate a terminal')
    .option('-e, --env <K=V>', 'environment variable', collect)
    .option('--entrypoint <command>', "replace the declared command (the image's ENTRYPOINT)")
    .action(action(() => import('./commands/run.js')));

  verb('push', 'push the images berth builds to the registry of their ref')
    .argument('[images...]', 'declared Image names (default: every built image)')
    .option(
      '-f, --filename <path>',
      'take the images from these files (default: the last apply)',
      collect,
    )
    .option('--tag <tag>', 'also push as <repo>:TAG (repeatable)', collect)
    .action(action(() => import('./commands/push.js')));

  verb('completion', 'print a shell completion script')
    .argument('<shell>', 'bash, zsh or fish')
    .action(
      action(async () =>
        (await import('./commands/completion.js')).completionCommand(program.commands),
      ),
    );

  return program;
}

/**
 * `--lock-timeout D` of every verb that writes to a project (apply, delete, down, rollback,
 * watch): how long to wait for the project's other writer; commands/… pass it to
 * `withProjectLock` (cli/project-lock.ts).
 */
export function lockTimeoutOption(): Option {
  return new Option(
    '--lock-timeout <duration>',
    'wait this long for another writer of the project (e.g. 30s)',
  ).default('0s');
}

function withCommonOptions(command: Command): Command {
  return command
    .option('-p, --project <name>', 'project name (default: the folder name)')
    .option('--engine <address>', 'engine address (default: DOCKER_HOST or the local socket)')
    .option(
      '--context <name>',
      'Docker context to use (as docker --context; overrides DOCKER_HOST)',
    )
    .addOption(
      new Option(
        '--backend <name>',
        'docker (default): containers; swarm: services on a Swarm manager',
      ).choices(['docker', 'swarm']),
    )
    .addOption(
      new Option('--log-level <level>', 'log level').choices([
        'trace',
        'debug',
        'info',
        'warn',
        'error',
        'silent',
      ]),
    );
}

/** Verbs whose `-f` defaults to the current folder (DESIGN.md "New verbs"). */
const FILE_VERBS = new Set(['validate', 'plan', 'diff', 'apply', 'delete']);

function defaultsToHere(verb: string, positional: unknown[]): boolean {
  if (!FILE_VERBS.has(verb)) return false;
  return verb !== 'delete' || positional[0] === undefined;
}

/**
 * `--env-file FILE` for the verbs that read manifests (DESIGN.md "Variables"); `where` says
 * which `.env` is read without it (beside `-f` for most verbs, in the watched folder for `watch`).
 */
function envFileOption(where = 'beside -f'): Option {
  return new Option(
    '--env-file <file>',
    `variables for \${VAR} in the manifests (repeatable, later wins; default: .env ${where})`,
  ).argParser(collect);
}

/** `--policy` and `--allow-host-path`: chosen by whoever runs berth, never by the manifests. */
function withPolicyOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--policy <name>', 'what manifests may ask of the host')
        .choices(['baseline', 'privileged', 'restricted'])
        .default('baseline'),
    )
    .option('--allow-host-path <path>', 'allow bind-mounting this host path (repeatable)', collect);
}

function outputOption(formats: string[]): Option {
  return new Option('-o, --output <format>', 'output format').choices(formats);
}

export interface CliIo {
  stdout: CliContext['stdout'];
  stderr: CliContext['stderr'];
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  argv?: readonly string[];
}

async function invoke(
  load: Loader,
  io: CliIo,
  options: CommonOptions,
  args: unknown[],
): Promise<number> {
  const level = (options.logLevel ?? io.env.BERTH_LOG_LEVEL ?? 'info') as LevelWithSilent;
  const logger = createLogger(level, io.stderr as NodeJS.WriteStream);
  const ctx = makeContext(io, options, logger);
  try {
    const module = await load();
    return await (module.run as (c: CliContext, ...a: unknown[]) => Promise<number>)(ctx, ...args);
  } catch (e) {
    const error = toBerthError(e);
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
    stdin: io.stdin,
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

/** Runs the CLI with process I/O; resolves with the exit code. */
export async function runCli(argv: string[], io?: Partial<CliIo>): Promise<number> {
  const fullIo: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    argv,
    ...io,
  };
  let exitCode = 0;
  const program = buildProgram(fullIo, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    const err = e as { code?: string; exitCode?: number };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    if (err.code === 'commander.help') return 0;
    if (typeof err.exitCode === 'number') return err.exitCode === 0 ? 0 : 1;
    fullIo.stderr.write(formatError(new BerthError('E_INTERNAL', String(e))) + '\n');
    return 1;
  }
  return exitCode;
}
