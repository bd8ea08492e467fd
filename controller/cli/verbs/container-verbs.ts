import { collect } from '../program-options.js';
import type { VerbDefinition } from './verb-kit.js';

/**
 * The verbs that act on declared containers by name, as docker's do on containers: logs,
 * exec, cp, restart and one-off runs.
 */
export const containerVerbs = {
  logs: (kit) => {
    kit
      .verb('logs', 'logs of declared containers, interleaved with name prefixes')
      .argument('[names...]', 'declared container names (default: all)')
      .option('-f, --follow', 'follow')
      .option('--since <when>', 'duration (10m) or time')
      .option('--tail <n>', 'lines from the end of each log')
      .option('-t, --timestamps', 'show timestamps')
      .option('-l, --selector <key=value>', 'select by metadata.labels', collect)
      .action(kit.action(() => import('../commands/logs.js')));
  },
  exec: (kit) => {
    kit
      .verb('exec', 'run a command in a declared container')
      .argument('<name>', 'declared container name')
      .argument('<command...>', 'command and arguments (after --)')
      .option('-i, --interactive', 'keep stdin open')
      .option('-t, --tty', 'allocate a terminal')
      .option('-u, --user <user>', 'user')
      .option('-w, --workdir <dir>', 'working directory')
      .option('-e, --env <K=V>', 'environment variable', collect)
      .action(kit.action(() => import('../commands/exec.js')));
  },
  cp: (kit) => {
    kit
      .verb(
        'cp',
        'copy files between a declared container and the host; into every replica of a replicated NAME, out of its first (NAME-<i> names one)',
      )
      .argument('<source>', 'NAME:PATH or local path (- for a tar stream)')
      .argument('<destination>', 'NAME:PATH or local path (- for a tar stream)')
      .action(kit.action(() => import('../commands/cp.js')));
  },
  restart: (kit) => {
    kit
      .verb('restart', 'restart declared containers without a spec change')
      .argument('<names...>', 'declared container names')
      .action(kit.action(() => import('../commands/restart.js')));
  },
  run: (kit) => {
    kit
      .verb('run', "a one-off container from a declared container's spec, after its dependencies")
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
      .option(
        '--no-deps',
        'start no dependsOn container (networks, volumes and the image are still created)',
      )
      .option('--timeout <duration>', 'give up on the dependencies after this long', '5m')
      .action(kit.action(() => import('../commands/run.js')));
  },
} satisfies Record<string, VerbDefinition>;
