import { BerthError } from '../../errors.js';
import type { CliContext } from '../context.js';

/** A command module, as program.ts loads one. */
interface CommandModule<A extends unknown[] = unknown[]> {
  run(ctx: CliContext, ...args: A): Promise<number>;
}

/** The verbs `--backend swarm` runs (DESIGN.md "Several engines and a cluster engine"). */
const SWARM_VERBS = [
  'apply',
  'plan',
  'delete',
  'down',
  'status',
  'get',
  'logs',
  'exec',
  'cp',
  'history',
  'watch',
];

/**
 * The command module of `VERB --backend swarm` (loaded only with that flag): apply, plan,
 * delete and down converge services on the Swarm manager (controller/swarm/); status and
 * get read its tasks; logs its service logs; exec and cp enter a running task's container
 * on its node; history lists the project's applies; watch keeps the Swarm converged to a
 * folder. Other verbs refuse with E_UNSUPPORTED (exit 1), changing nothing.
 */
export function swarmVerb(verb: string): CommandModule<never[]> {
  const run = async (ctx: CliContext, ...args: unknown[]) => {
    const options = args[args.length - 1] as Record<string, unknown>;
    if (!SWARM_VERBS.includes(verb))
      throw new BerthError(
        'E_UNSUPPORTED',
        `berth ${verb} has no --backend swarm; it has: ${SWARM_VERBS.join(', ')}`,
      );
    if (verb === 'exec') {
      const { swarmExecCommand } = await import('../../swarm/swarm-enter.js');
      return swarmExecCommand(ctx, args[0] as string, args[1] as string[], options);
    }
    if (verb === 'cp') {
      const { swarmCopyCommand } = await import('../../swarm/swarm-enter.js');
      return swarmCopyCommand(ctx, args[0] as string, args[1] as string, options);
    }
    if (verb === 'history') {
      const history = await import('./history.js');
      return history.run(ctx, options);
    }
    if (verb === 'watch') {
      const { swarmWatchCommand } = await import('../../swarm/swarm-watch.js');
      return swarmWatchCommand(ctx, args[0] as string | undefined, options);
    }
    if (verb === 'logs') {
      const { swarmLogsCommand } = await import('../../swarm/swarm-logs.js');
      return swarmLogsCommand(ctx, (args[0] as string[] | undefined) ?? [], options);
    }
    if (verb === 'status' || verb === 'get') {
      const { swarmStatusCommand } = await import('../../swarm/swarm-view.js');
      // `get [KIND[/NAME] | KIND NAME]`: the rows of that kind (and name) only.
      const [kind, name] = verb === 'get' ? (args.slice(0, -1) as (string | undefined)[]) : [];
      return swarmStatusCommand(ctx, options, kind, name);
    }
    const { applySwarm, deleteSwarm } = await import('../../swarm/swarm-apply.js');
    if (verb === 'delete' && typeof args[0] === 'string')
      throw new BerthError('E_USAGE', 'berth delete KIND/NAME has no --backend swarm: use -f PATH');
    if (verb === 'delete' || verb === 'down') return deleteSwarm(ctx, options, verb === 'down');
    return applySwarm(ctx, verb === 'plan' ? { ...options, dryRun: true } : options);
  };
  return { run } as CommandModule<never[]>;
}
