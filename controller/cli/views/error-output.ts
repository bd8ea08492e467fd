import { problemFields } from '../../../specs/problems.js';
import { exitCodeFor, toBerthError } from '../../errors.js';
import type { CliContext } from '../context.js';
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
 * Runs `work`; when it throws and the output is JSON or YAML, writes the {@link errorDocument}
 * to stdout and throws again (the message on stderr and the exit code stay the CLI's).
 */
export async function withErrorDocument<T>(
  ctx: CliContext,
  output: string | undefined,
  project: () => string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (output === 'json' || output === 'yaml') {
      await writeOutput(ctx, output, errorDocument(e, safely(project)), () => '');
    }
    throw e;
  }
}

function safely(project: () => string | undefined): string | undefined {
  try {
    return project();
  } catch {
    return undefined;
  }
}
