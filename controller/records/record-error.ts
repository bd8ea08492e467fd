import { join } from 'node:path';
import { BerthError } from '../errors.js';

/**
 * The error of an apply whose records could not be written (a full disk, a read-only or
 * foreign-owned state folder), on every backend: E_RECORD (exit 2) naming the project's state
 * folder (F181: apply said `converged`, exit 0, and `down` later found nothing to delete;
 * F251: the same on `--backend swarm`). `e` is what writing threw.
 */
export function unrecordedApply(stateDir: string, project: string, e: unknown): BerthError {
  const folder = join(stateDir, project);
  // recordApply's own error names the folder already; anything else (the engine's image
  // lookup) is named here.
  const why =
    e instanceof BerthError && e.code === 'E_RECORD'
      ? e.message
      : `cannot write the records of project ${project} in ${folder}: ${(e as Error).message}`;
  return new BerthError('E_RECORD', `could not record the apply: ${why}`, {
    cause: e,
    hint: `the engine has the changes but berth has no record of them; free space in ${folder} (or fix its permissions) and apply again`,
  });
}
