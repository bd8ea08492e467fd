import { parseDelay } from '../../specs/validate/values.js';
import { BerthError } from '../errors.js';
import { lockProject, type ProjectLock } from '../records/project-lock.js';
import type { CliContext } from './context.js';
import { redactArgs } from './redact-args.js';

/**
 * Takes the project's writer lock for a CLI verb (DESIGN.md "One project, one writer"):
 * `apply`, `delete`, `down`, `rollback`, `watch`. `lockTimeout` is the `--lock-timeout` flag
 * (a duration; default 0 s: fail at once). Rejects with E_USAGE for a bad duration and with
 * E_LOCKED (exit 1) naming the holder when another writer keeps the lock.
 */
export async function takeProjectLock(
  ctx: CliContext,
  project: string,
  verb: string,
  lockTimeout: string | undefined,
): Promise<ProjectLock> {
  const timeoutMs = parseDelay(lockTimeout ?? '0s');
  if (timeoutMs === undefined)
    throw new BerthError('E_USAGE', `--lock-timeout ${lockTimeout} is not a duration (e.g. 30s)`);
  // Shown to every other writer of the project, and kept in the lock file: no secrets (F114).
  const command = ['berth', ...redactArgs(ctx.argv ?? [verb])].join(' ');
  return lockProject(ctx.stateDir, project, { verb, command, timeoutMs, now: ctx.now });
}

/**
 * Runs `work` while holding the project's writer lock, and lets go afterwards whatever
 * happens. One call for a verb that writes to a project:
 * `return withProjectLock(ctx, project, 'down', options.lockTimeout, () => down(…))`.
 */
export async function withProjectLock<T>(
  ctx: CliContext,
  project: string,
  verb: string,
  lockTimeout: string | undefined,
  work: (lock: ProjectLock) => Promise<T>,
): Promise<T> {
  const lock = await takeProjectLock(ctx, project, verb, lockTimeout);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}
