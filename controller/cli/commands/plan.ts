import { keptImagesOf } from '../../records/image-history.js';
import { formatPlan, hasChanges, planJson } from '../../plan/plan-format.js';
import type { CliContext } from '../context.js';
import { writeOutput } from '../views/stable-output.js';
import { loadInput } from '../load-input.js';
import { planOf } from '../plan-of.js';
import { otherSourceDeletions } from '../../plan/plan-other-sources.js';
import { otherSourceNotes, sourceFolders } from '../other-sources.js';
import { orphanWarning } from '../orphan-warning.js';
import { refuseWhatTheEnginesCannotCarry } from '../engine-fields-check.js';
import type { PolicyFlags } from '../policy-flags.js';
import { resolveProjectName } from '../project-name.js';

interface PlanOptions extends PolicyFlags {
  filename: string[];
  prune?: boolean;
  exitCode?: boolean;
  output?: 'text' | 'json' | 'yaml';
  project?: string;
}

/** `berth plan`: the steps apply would run, with causes; changes nothing. */
export async function run(ctx: CliContext, options: PlanOptions): Promise<number> {
  const { set } = await loadInput(ctx, options.filename, options);
  const project = resolveProjectName(options.project, options.filename, ctx.cwd, ctx.env);
  await refuseWhatTheEnginesCannotCarry(ctx, set.objects);
  const { plan, observed } = await planOf(ctx, {
    project,
    desired: set.objects,
    prune: Boolean(options.prune),
    keepImageIds: await keptImagesOf(ctx.stateDir, project),
  });
  const folders = sourceFolders(options.filename, ctx.cwd);
  const others = observed ? otherSourceDeletions(plan, observed, folders) : [];
  ctx.stderr.write(orphanWarning(plan, observed, folders));
  await writeOutput(
    ctx,
    options.output,
    planJson(plan),
    () => formatPlan(plan) + otherSourceNotes(project, others),
  );
  return options.exitCode && hasChanges(plan) ? 2 : 0;
}
