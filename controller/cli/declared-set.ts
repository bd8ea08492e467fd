import type { DesiredObject } from '../../specs/model.js';
import { BerthError } from '../errors.js';
import { readLastApplied } from '../records/index.js';
import type { CliContext } from './context.js';
import { loadInput } from './load-input.js';

/**
 * The declared objects a verb works from: those of `-f` when given, else the project's
 * last applied set (`run`, `push`). No applied set and no `-f` is E_UNKNOWN_OBJECT.
 */
export async function declaredSet(
  ctx: CliContext,
  project: string,
  files: string[] | undefined,
): Promise<DesiredObject[]> {
  if (files?.length) return (await loadInput(ctx, files)).set.objects;
  const last = await readLastApplied(ctx.stateDir, project);
  if (!last.ok)
    throw new BerthError(
      'E_UNKNOWN_OBJECT',
      `project ${project} has no applied set: pass -f PATH or apply it first`,
    );
  return last.value.objects;
}
