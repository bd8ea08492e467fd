import type { CliContext, CommonOptions } from '../context.js';
import { engineAddress } from '../engine-flags.js';
import { tableWidth } from '../context.js';
import { resolveProjectName } from '../project-name.js';
import { formatStatus } from '../views/format-status.js';
import { queryProject } from '../views/query.js';
import { writeOutput } from '../views/stable-output.js';
import { readHold } from '../../records/hold.js';
import { heldNotice } from '../../status/held-status.js';
import type { ProjectStatus } from '../../status/status-types.js';
import { showHistory } from './history.js';

export interface StatusOptions extends CommonOptions {
  filename?: string[];
  history?: boolean;
}

/** Exit code of `berth status` when the project is not as declared (not an error). */
export const EXIT_NOT_IN_SYNC = 3;

/**
 * `berth status [-f PATH] [--history] [-o table|wide|json|yaml]`: the project view. Exit 0 in
 * sync, 3 not in sync — also when there is nothing to compare against.
 */
export async function run(ctx: CliContext, options: StatusOptions): Promise<number> {
  const project = resolveProjectName(options.project, options.filename ?? [], ctx.cwd, ctx.env);
  if (options.history) return showHistory(ctx, project, options.output);
  const { status, fromController } = await projectStatus(ctx, project, options.filename);
  await writeOutput(ctx, options.output, status, () =>
    formatStatus(status, {
      wide: options.output === 'wide',
      color: ctx.color,
      width: tableWidth(ctx.stdout),
      fromController,
    }),
  );
  return status.inSync ? 0 : EXIT_NOT_IN_SYNC;
}

async function projectStatus(
  ctx: CliContext,
  project: string,
  files: string[] | undefined,
): Promise<{ status: ProjectStatus; fromController: boolean }> {
  if (!files?.length) {
    // Loaded on demand; the lock files of `berth watch` say where its API listens.
    const { findControllerClient } = await import('../../api/client.js');
    // Only a controller of the engine asked for answers (F27); an unusable address is exit 4.
    const flags = { engine: ctx.engineFlag, context: ctx.contextFlag };
    const engine = engineAddress(flags, ctx.env).display;
    const token = process.env.BERTH_TOKEN;
    // A controller that refuses the token is said so on stderr, not passed over in silence.
    const refused = (note: string) => ctx.stderr.write(`note: ${note}\n`);
    const controller = await findControllerClient(ctx.stateDir, project, engine, token, refused);
    if (controller)
      return { status: await controller.projectStatus(project), fromController: true };
  }
  const { status } = await queryProject(ctx, project, files);
  return { status: await withHold(ctx, project, status), fromController: false };
}

/**
 * A held project says so with no watch running too (F802: after `berth rollback` alone,
 * status said only "in sync", and nothing told why a later watch would not apply the folder).
 */
async function withHold(
  ctx: CliContext,
  project: string,
  status: ProjectStatus,
): Promise<ProjectStatus> {
  const hold = await readHold(ctx.stateDir, project);
  if (!hold) return status;
  const held = heldNotice(hold);
  return { ...status, notice: status.notice ? `${held}; ${status.notice}` : held };
}
