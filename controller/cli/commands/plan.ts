import { observeAndPlan } from '../../observe.js';
import { formatPlan, hasChanges, planJson } from '../../plan/plan-format.js';
import type { CliContext } from '../context.js';
import { loadInput } from '../load-input.js';
import { otherSourceDeletions, otherSourceNotes, sourceFolders } from '../other-sources.js';
import { resolveProjectName } from '../project-name.js';

interface PlanOptions {
  filename: string[];
  prune?: boolean;
  exitCode?: boolean;
  output?: 'text' | 'json';
  project?: string;
}

/** `berth plan`: the steps apply would run, with causes; changes nothing. */
export async function run(ctx: CliContext, options: PlanOptions): Promise<number> {
  const { set } = await loadInput(ctx, options.filename);
  const project = resolveProjectName(options.project, options.filename, ctx.cwd);
  const engine = await ctx.engine();
  const { plan, observed } = await observeAndPlan(engine, {
    project,
    desired: set.objects,
    prune: Boolean(options.prune),
  });
  const others = otherSourceDeletions(plan, observed, sourceFolders(options.filename, ctx.cwd));
  ctx.stdout.write(
    options.output === 'json'
      ? JSON.stringify(planJson(plan), null, 2) + '\n'
      : formatPlan(plan) + otherSourceNotes(project, others),
  );
  return options.exitCode && hasChanges(plan) ? 2 : 0;
}
