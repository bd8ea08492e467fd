import type { DesiredObject } from '../../specs/model.js';
import type { ObservedState } from '../engine/engine.js';
import { groupByEngine, spansEngines } from '../executor/placement.js';
import { observeAndPlan } from '../observe.js';
import type { Plan } from '../plan/plan-types.js';
import type { CliContext } from './context.js';
import { engineAddress } from './engine-flags.js';

/** The Docker context berth runs against (`--context`, DOCKER_CONTEXT, current), if any. */
export function homeContext(ctx: CliContext): string | undefined {
  return engineAddress({ engine: ctx.engineFlag, context: ctx.contextFlag }, ctx.env).context;
}

/**
 * The plan of `desired`, changing nothing (`plan`, `diff`, `apply --dry-run`): across every
 * engine the set is placed on (`spec.placement.context`, keys `Kind/name@context`) when it
 * spans engines, else on berth's own engine. `observed` is berth's own engine's snapshot, and
 * is left out across engines (each engine has its own).
 */
export async function planOf(
  ctx: CliContext,
  input: {
    project: string;
    desired: DesiredObject[];
    prune: boolean;
    keepImageIds?: ReadonlySet<string>;
  },
): Promise<{ plan: Plan; observed?: ObservedState }> {
  const placed = input.desired.some((o) => o.context !== undefined);
  const groups = placed ? groupByEngine(input.desired, homeContext(ctx)) : [];
  if (spansEngines(groups)) {
    const { planAcross } = await import('./apply-across.js');
    return { plan: (await planAcross(ctx, input, groups)).plan };
  }
  const { plan, observed } = await observeAndPlan(await ctx.engine(), input);
  return { plan, observed };
}
