import { holdProject, readHold, releaseProject } from '../../records/hold.js';
import type { CliContext, CommonOptions } from '../context.js';
import { resolveProjectName } from '../project-name.js';

/**
 * `berth hold` (DESIGN.md "New verbs"): a running `berth watch` of the project applies no new
 * source revision (folder change or commit) until `berth release`; drift is still repaired.
 */
export async function run(ctx: CliContext, options: CommonOptions): Promise<number> {
  const project = resolveProjectName(options.project, [], ctx.cwd);
  const hold = await holdProject(ctx.stateDir, project, 'berth hold', ctx.now());
  ctx.stdout.write(
    `project ${project} held since ${new Date(hold.since).toISOString()}; berth release resumes\n`,
  );
  return 0;
}

/** `berth release`: the controller applies new source revisions again (at its next reload). */
export async function release(ctx: CliContext, options: CommonOptions): Promise<number> {
  const project = resolveProjectName(options.project, [], ctx.cwd);
  const was = await releaseProject(ctx.stateDir, project);
  ctx.stdout.write(was ? `project ${project} released\n` : `project ${project} was not held\n`);
  return 0;
}

export { readHold };
