import { collect, withPolicyOptions } from '../program-options.js';
import type { VerbDefinition } from './verb-kit.js';

/**
 * The verbs that convert a set between berth and other formats: Compose in, Kubernetes out.
 */
export const convertVerbs = {
  import: (kit) => {
    withPolicyOptions(kit.verb('import', 'convert Compose files into berth manifests'))
      .option(
        '-f, --filename <path>',
        'Compose file (repeatable; default: compose.yaml and its override here)',
        collect,
      )
      .option('-o, --output <dir>', 'write the manifests into this folder (default: print them)')
      .option('--profile <name>', 'activate a Compose profile (repeatable)', collect)
      .option(
        '--force',
        'with -o: write over files of the same name that berth import did not write',
      )
      .action(kit.action(() => import('../commands/import.js')));
  },
  export: (kit) => {
    kit
      .verb('export', 'write the set as objects of another platform (kubernetes)')
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
      .action(kit.action(() => import('../commands/export.js')));
  },
} satisfies Record<string, VerbDefinition>;
