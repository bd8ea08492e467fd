import { owningController, type ControlAction } from '../../api/control-client.js';
import { BerthError } from '../../errors.js';
import { holdProject, readHold, releaseProject } from '../../records/hold.js';
import { readHistory, readLastApplied } from '../../records/index.js';
import type { CliContext, CommonOptions } from '../context.js';
import { resolveProjectName } from '../project-name.js';

/** How long hold/release wait for a running controller to answer, ms. */
const CONTROL_TIMEOUT_MS = 30_000;

/**
 * `berth hold` (DESIGN.md "New verbs"): a running `berth watch` of the project applies no new
 * source revision (folder change or commit) until `berth release`; drift is still repaired.
 * While a watch runs, it takes the hold itself (so its view and status say so at once); exit 1
 * when it cannot be reached.
 */
export async function run(ctx: CliContext, options: CommonOptions): Promise<number> {
  const project = resolveProjectName(options.project, [], ctx.cwd, ctx.env);
  if (await throughController(ctx, project, 'hold')) return 0;
  await refuseUnknownProject(ctx.stateDir, project);
  const hold = await holdProject(ctx.stateDir, project, 'berth hold', ctx.now());
  ctx.stdout.write(
    `project ${project} held since ${new Date(hold.since).toISOString()}; berth release resumes\n`,
  );
  return 0;
}

/**
 * `berth release`: the controller applies new source revisions again. A running watch is told
 * at once and reads its source now (FINDINGS F6); exit 1 when it cannot be reached.
 */
export async function release(ctx: CliContext, options: CommonOptions): Promise<number> {
  const project = resolveProjectName(options.project, [], ctx.cwd, ctx.env);
  if (await throughController(ctx, project, 'release')) return 0;
  const was = await releaseProject(ctx.stateDir, project);
  ctx.stdout.write(was ? `project ${project} released\n` : `project ${project} was not held\n`);
  return 0;
}

/**
 * A hold of a project that was never applied and has no running watch is most likely a typo
 * of `-p` (or the wrong folder): refused with exit 1, as kubectl refuses an unknown object,
 * rather than recorded — a watch started later for that name would apply nothing (F161).
 */
async function refuseUnknownProject(stateDir: string, project: string): Promise<void> {
  const [history, lastApplied] = await Promise.all([
    readHistory(stateDir, project),
    readLastApplied(stateDir, project),
  ]);
  const applied = history.ok ? history.value.length > 0 : true;
  const recorded = lastApplied.ok || lastApplied.problem.reason !== 'missing';
  if (applied || recorded) return;
  throw new BerthError(
    'E_UNKNOWN_OBJECT',
    `no project ${project}: nothing applied, no berth watch running (check -p or the folder berth runs in)`,
  );
}

/** Hands `action` to the project's running watch; false when none runs. */
async function throughController(
  ctx: CliContext,
  project: string,
  action: ControlAction,
): Promise<boolean> {
  const controller = await owningController(ctx.stateDir, project);
  if (!controller) return false;
  ctx.stdout.write(`${await controller.ask(action, undefined, CONTROL_TIMEOUT_MS)}\n`);
  return true;
}

export { readHold };
