import { Command } from 'commander';
import { BerthError, formatError } from '../errors.js';
import type { CommonOptions } from './context.js';
import { withExamples } from './help-examples.js';
import { invoke, type CliIo, type Loader } from './program-invoke.js';
import { printsDocuments, withCommonOptions } from './program-options.js';
import { berthVersion } from './version.js';
import { containerVerbs } from './verbs/container-verbs.js';
import { convertVerbs } from './verbs/convert-verbs.js';
import { desiredSetVerbs } from './verbs/desired-set-verbs.js';
import { projectVerbs } from './verbs/project-verbs.js';
import { queryVerbs } from './verbs/query-verbs.js';
import type { VerbDefinition, VerbKit } from './verbs/verb-kit.js';

export type { CliIo, CommandModule } from './program-invoke.js';
export { lockTimeoutOption } from './program-options.js';
export { installYamlHelper } from '../../specs/parse/split-load.js';

const VERBS = {
  ...desiredSetVerbs,
  ...queryVerbs,
  ...containerVerbs,
  ...projectVerbs,
  ...convertVerbs,
  completion: (kit) => {
    kit
      .verb('completion', 'print a shell completion script')
      .argument('<shell>', 'bash, zsh or fish')
      .action(
        kit.action(async () =>
          (await import('./commands/completion.js')).completionCommand(kit.program.commands),
        ),
      );
  },
} satisfies Record<string, VerbDefinition>;

/**
 * The order of `berth --help` (and of completion): every verb of DESIGN.md's CLI table, each
 * defined in verbs/ by what it acts on. A verb defined but not listed fails to compile
 * (`EVERY_VERB_LISTED`); one listed twice makes commander throw at start.
 */
const VERB_ORDER = [
  'validate',
  'plan',
  'diff',
  'apply',
  'up',
  'delete',
  'get',
  'describe',
  'status',
  'history',
  'watch',
  'logs',
  'exec',
  'cp',
  'import',
  'rollback',
  'hold',
  'release',
  'export',
  'down',
  'restart',
  'run',
  'push',
  'completion',
  'version',
] as const satisfies readonly (keyof typeof VERBS)[];

type UnlistedVerb = Exclude<keyof typeof VERBS, (typeof VERB_ORDER)[number]>;
const EVERY_VERB_LISTED: [UnlistedVerb] extends [never] ? true : UnlistedVerb = true;
void EVERY_VERB_LISTED;

/**
 * Builds the command tree. Every verb of DESIGN.md's CLI table is registered here, in
 * {@link VERB_ORDER}; the code of each lives in commands/ and loads only when that verb runs.
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
  const kit: VerbKit = {
    program,
    verb: (name, description) =>
      withExamples(withCommonOptions(program.command(name).description(description)), name),
    action:
      (load) =>
      async (...args) => {
        const command = args[args.length - 1] as Command;
        const options = command.optsWithGlobals<CommonOptions & { filename?: string[] }>();
        const positional = args.slice(0, -2);
        if (!options.filename && defaultsToHere(command.name(), positional))
          options.filename = ['.'];
        // `--backend swarm`: the verb runs against a Swarm manager (controller/swarm/).
        const chosen: Loader =
          options.backend === 'swarm'
            ? () => import('./commands/swarm.js').then((m) => m.swarmVerb(command.name()))
            : load;
        setExit(
          await invoke(chosen, io, options, [...positional, options], printsDocuments(command)),
        );
      },
  };
  for (const name of VERB_ORDER) VERBS[name](kit);
  return program;
}

/** Verbs whose `-f` defaults to the current folder (DESIGN.md "New verbs"). */
const FILE_VERBS = new Set(['validate', 'plan', 'diff', 'apply', 'delete']);

function defaultsToHere(verb: string, positional: unknown[]): boolean {
  if (!FILE_VERBS.has(verb)) return false;
  return verb !== 'delete' || positional[0] === undefined;
}

/** Runs the CLI with process I/O; resolves with the exit code. */
export async function runCli(argv: string[], io?: Partial<CliIo>): Promise<number> {
  const fullIo: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    // Read only by the verbs that take stdin: the getter makes a stream (a ReadStream of
    // /dev/null under the bench), loading fs streams a 1,000-object validate never uses.
    get stdin() {
      return process.stdin;
    },
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
