import { collect, outputOption } from '../program-options.js';
import type { VerbDefinition } from './verb-kit.js';

/**
 * The read-only verbs that show a project: its objects, one object, whether it is in sync, its
 * applies.
 */
export const queryVerbs = {
  get: (kit) => {
    kit
      .verb('get', 'list objects with desired and observed state')
      .argument('[target]', 'KIND or KIND/NAME')
      .argument('[name]', 'NAME, as in kubectl get KIND NAME')
      .option('-f, --filename <path>', 'compare against these files', collect)
      .option('-w, --watch', 'keep the view updated')
      .option('-A, --all-projects', 'every berth project on the engine')
      .addOption(outputOption(['table', 'wide', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/get.js')));
  },
  describe: (kit) => {
    kit
      .verb('describe', 'one object: spec, status, conditions, recent events')
      .argument('<target>', 'KIND/NAME')
      .argument('[name]', 'NAME, as in kubectl describe KIND NAME')
      .option('-f, --filename <path>', 'compare against these files', collect)
      .addOption(outputOption(['text', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/describe.js')));
  },
  status: (kit) => {
    kit
      .verb('status', 'is the project in sync; each object with its state and reason')
      .option('-f, --filename <path>', 'compare against these files', collect)
      .option('--history', 'show the applies instead')
      .addOption(outputOption(['table', 'wide', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/status.js')));
  },
  history: (kit) => {
    kit
      .verb('history', "the project's applies, newest first")
      .addOption(outputOption(['table', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/history.js')));
  },
  version: (kit) => {
    kit
      .verb('version', "berth's version and the engine's")
      .addOption(outputOption(['text', 'json', 'yaml']))
      .action(kit.action(() => import('../commands/version.js')));
  },
} satisfies Record<string, VerbDefinition>;
