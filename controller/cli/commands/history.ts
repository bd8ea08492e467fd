import { BerthError } from '../../errors.js';
import { readHistory } from '../../records/records.js';
import { formatHistoryTable, historyOutput } from '../views/format-history.js';
import { writeOutput } from '../views/stable-output.js';
import { tableWidth, type CliContext, type CommonOptions } from '../context.js';
import { resolveProjectName } from '../project-name.js';

/** `berth history [-o table|json|yaml]`: the project's applies, newest first. Exit 0. */
export async function run(ctx: CliContext, options: CommonOptions): Promise<number> {
  return showHistory(
    ctx,
    resolveProjectName(options.project, [], ctx.cwd, ctx.env),
    options.output,
  );
}

/**
 * Writes the history (shared with `status --history`). A corrupt history is an E_RECORD error
 * naming the file; a missing one is an empty history.
 */
export async function showHistory(
  ctx: CliContext,
  project: string,
  format: string | undefined,
): Promise<number> {
  const history = await readHistory(ctx.stateDir, project);
  if (!history.ok) {
    const { path, message } = history.problem;
    throw new BerthError('E_RECORD', `${path}: ${message}`, {
      file: path,
      hint: 'the next berth apply rewrites it',
    });
  }
  await writeOutput(ctx, format, historyOutput(history.value), () =>
    history.value.length
      ? formatHistoryTable(history.value, {
          color: ctx.color,
          ...(ctx.stdout.isTTY ? { width: tableWidth(ctx.stdout) } : {}),
        })
      : `No applies recorded for project ${project}.\n`,
  );
  return 0;
}
