import { Option, type Command } from 'commander';

/** Commander's argument parser for a repeatable flag: each use appends. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Help of `-f` for the verbs that read manifests and default to the current folder. */
export const FILE_HELP = 'file or folder (repeatable, - for stdin; default: the current folder)';

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

/** The global flags, accepted before the verb and after it (after it they win). */
export function withCommonOptions(command: Command): Command {
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

/**
 * `--env-file FILE` for the verbs that read manifests (DESIGN.md "Variables"); `where` says
 * which `.env` is read without it (beside `-f` for most verbs, in the watched folder for `watch`).
 */
export function envFileOption(where = 'beside -f'): Option {
  return new Option(
    '--env-file <file>',
    `variables for \${VAR} in the manifests (repeatable, later wins; default: .env ${where})`,
  ).argParser(collect);
}

/** `--policy` and `--allow-host-path`: chosen by whoever runs berth, never by the manifests. */
export function withPolicyOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--policy <name>', 'what manifests may ask of the host')
        .choices(['baseline', 'privileged', 'restricted'])
        .default('baseline'),
    )
    .option('--allow-host-path <path>', 'allow bind-mounting this host path (repeatable)', collect);
}

/** `-o, --output FORMAT` with the formats the verb prints. */
export function outputOption(formats: string[]): Option {
  return new Option('-o, --output <format>', 'output format').choices(formats);
}

/**
 * Whether the verb's `-o` is an {@link outputOption} that offers json (import's and export's
 * `-o DIR` is a folder): such a verb prints the error document on a refusal (F532).
 */
export function printsDocuments(command: Command): boolean {
  return command.options.some((o) => o.long === '--output' && o.argChoices?.includes('json'));
}
