import { problemFields } from '../../../specs/problems.js';
import { exitCodeFor, toBerthError } from '../../errors.js';
import type { CliContext, CommonOptions } from '../context.js';
import { resolveProjectName } from '../project-name.js';
import { writeOutput } from './stable-output.js';

/**
 * The document `-o json|yaml` prints when a command fails before it has a result of its own
 * (invalid input, a lock held, an engine that does not answer): a script reading stdout gets
 * `{"ok": false, …}` with the problems, never an empty document (F465). `validate -o json`'s
 * problem fields, plus the error's code, message and hint; the text still goes to stderr.
 */
export function errorDocument(e: unknown, project: string | undefined): Record<string, unknown> {
  const error = toBerthError(e);
  const problems = (error.context.problems ?? []).map(problemFields);
  return {
    ...(project !== undefined ? { project } : {}),
    ok: false,
    exitCode: exitCodeFor(error.code),
    error: {
      code: error.code,
      message: error.message,
      ...(error.context.object ? { object: error.context.object } : {}),
      ...(error.context.hint ? { hint: error.context.hint } : {}),
    },
    problems,
  };
}

/**
 * Writes the {@link errorDocument} of `error` to stdout when `options.output` is json or yaml
 * (nothing for the text formats); the project is the one the verb would have acted on, left
 * out when that name itself is what was refused. Every verb with `-o json` fails through here
 * (cli/program-invoke.ts), so none prints an empty document (F532).
 */
export async function writeErrorDocument(
  ctx: CliContext,
  options: Pick<CommonOptions, 'output' | 'project'> & { filename?: string[] },
  error: unknown,
): Promise<void> {
  if (options.output !== 'json' && options.output !== 'yaml') return;
  const project = () =>
    resolveProjectName(options.project, options.filename ?? [], ctx.cwd, ctx.env);
  await writeOutput(ctx, options.output, errorDocument(error, safely(project)), () => '');
}

function safely(project: () => string | undefined): string | undefined {
  try {
    return project();
  } catch {
    return undefined;
  }
}
