import {
  collect,
  envFileOption,
  FILE_HELP,
  lockTimeoutOption,
  outputOption,
  withPolicyOptions,
} from '../program-options.js';
import type { VerbDefinition } from './verb-kit.js';

/**
 * The verbs that take a desired set from manifests to the engine and back: check it, show the
 * plan, apply it, remove it, push its built images.
 */
export const desiredSetVerbs = {
  validate: (kit) => {
    withPolicyOptions(kit.verb('validate', 'check manifests: syntax, schema, references, policy'))
      .option('-f, --filename <path>', FILE_HELP, collect)
      .addOption(envFileOption())
      .addOption(outputOption(['text', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/validate.js')));
  },
  plan: (kit) => {
    withPolicyOptions(kit.verb('plan', 'show what apply would do, changing nothing'))
      .option('-f, --filename <path>', FILE_HELP, collect)
      .addOption(envFileOption())
      .option('--prune', 'include owned objects that are no longer declared')
      .option('--exit-code', 'exit 2 when there are changes')
      .addOption(outputOption(['text', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/plan.js')));
  },
  diff: (kit) => {
    kit
      .verb('diff', 'plan with the changed fields, old → new')
      .option('-f, --filename <path>', FILE_HELP, collect)
      .addOption(envFileOption())
      .option('--prune', 'include owned objects that are no longer declared')
      .addOption(outputOption(['text', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/diff.js')));
  },
  apply: (kit) => {
    withPolicyOptions(kit.verb('apply', 'converge the engine to the manifests and wait'))
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
      .addOption(outputOption(['text', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/apply.js')));
  },
  up: (kit) => {
    withPolicyOptions(kit.verb('up', 'apply, then stream logs in the foreground (apply --attach)'))
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
      .action(kit.action(() => import('../commands/up.js')));
  },
  delete: (kit) => {
    kit
      .verb('delete', 'remove declared objects, in reverse dependency order')
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
      .addOption(outputOption(['text', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/delete.js')));
  },
  push: (kit) => {
    kit
      .verb('push', 'push the images berth builds to the registry of their ref')
      .argument('[images...]', 'declared Image names (default: every built image)')
      .option(
        '-f, --filename <path>',
        'take the images from these files (default: the last apply)',
        collect,
      )
      .option('--tag <tag>', 'also push as <repo>:TAG (repeatable)', collect)
      .action(kit.action(() => import('../commands/push.js')));
  },
} satisfies Record<string, VerbDefinition>;
