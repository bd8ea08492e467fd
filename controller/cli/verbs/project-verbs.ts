import { Option } from 'commander';
import {
  envFileOption,
  lockTimeoutOption,
  outputOption,
  withPolicyOptions,
} from '../program-options.js';
import type { VerbDefinition } from './verb-kit.js';

/**
 * The verbs about a project over time: the controller that keeps it converged, rolling back
 * to an earlier apply, holding new revisions, taking it down.
 */
export const projectVerbs = {
  watch: (kit) => {
    withPolicyOptions(
      kit.verb('watch', 'run the controller: folder + engine events + resync + status API'),
    )
      .argument('[dir]', 'folder of manifests (or --git URL)')
      .option(
        '--git <url>',
        'watch a git repository (path, file://, https://, ssh) instead of a folder',
      )
      .option('--ref <ref>', 'with --git: branch or tag (default: the remote HEAD)')
      .option('--path <dir>', 'with --git: folder of manifests inside the repository')
      .option('--interval <duration>', 'with --git: how often to check a remote ref', '60s')
      .addOption(
        new Option(
          '--webhook-secret <secret>',
          'with --git: accept POST /api/v1/webhook signed with it',
        ).env('BERTH_WEBHOOK_SECRET'),
      )
      .option('--verify-signatures', 'with --git: apply only commits signed by --allowed-signers')
      .option('--allowed-signers <file>', 'SSH allowed-signers file for --verify-signatures')
      .option(
        '--host-root <dir>',
        'with --git: where relative bind-mount host paths resolve (default: .)',
      )
      .addOption(envFileOption('in the watched folder'))
      .option('--listen <addr>', 'status API address', '127.0.0.1:7337')
      .addOption(
        new Option('--token <token>', 'bearer token for the status API').env('BERTH_TOKEN'),
      )
      .option('--resync <duration>', 'full resync period', '60s')
      .option('--allow-empty', 'let an empty folder delete everything')
      .option('--force', 'also prune objects another folder of the project applied')
      .addOption(lockTimeoutOption())
      .option('--parallel <n>', 'independent operations at once', '8')
      .option('--ui-actions', 'web view: offer sync and restart buttons (read-only without)')
      .action(kit.action(() => import('../commands/watch.js')));
  },
  rollback: (kit) => {
    kit
      .verb(
        'rollback',
        'converge to an earlier apply of the project (default: the one before the last)',
      )
      .argument('[apply]', "an id from berth history, or a commit's short sha")
      .option('--timeout <duration>', 'give up after this long', '5m')
      .option('--parallel <n>', 'independent operations at once', '8')
      .option('--force', 'also delete what another folder of the project applied')
      .addOption(lockTimeoutOption())
      .addOption(outputOption(['text', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/rollback.js')));
  },
  hold: (kit) => {
    kit
      .verb('hold', 'stop the controller applying new source revisions of the project')
      .action(kit.action(() => import('../commands/hold.js')));
  },
  release: (kit) => {
    kit
      .verb('release', 'let the controller apply new source revisions again')
      .action(kit.action(() => import('../commands/hold.js').then((m) => ({ run: m.release }))));
  },
  down: (kit) => {
    kit
      .verb('down', "delete the project's last applied set (volumes kept unless --volumes)")
      .option('--volumes', 'also remove the volumes, with their data')
      .option('--force', 'also delete what another folder of the project applied')
      .addOption(lockTimeoutOption())
      .option('--timeout <duration>', 'give up after this long', '5m')
      .option('--parallel <n>', 'independent operations at once', '8')
      .addOption(outputOption(['text', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/down.js')));
  },
} satisfies Record<string, VerbDefinition>;
