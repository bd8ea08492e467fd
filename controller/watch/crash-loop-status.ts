import type { ProjectStatus } from '../status/status-types.js';
import type { CrashLoopTracker } from './backoff.js';

/**
 * The restarts berth made and the back-off it is waiting out, folded into a project's
 * status (DESIGN.md: status shows the restart count, the last exit code and the back-off).
 */
export function withCrashLoops(
  status: ProjectStatus,
  crashLoop: Pick<CrashLoopTracker, 'describe'>,
  now: number,
): ProjectStatus {
  const objects = status.objects.map((o) => {
    const loop = crashLoop.describe(o.key, now);
    if (loop.total === 0) return o;
    const waiting = loop.backoffMs > 0 && !o.inSync;
    return {
      ...o,
      restartCount: Math.max(o.restartCount ?? 0, loop.total),
      reason: waiting
        ? `crash loop: ${loop.total} restarts, next try in ${Math.ceil(loop.backoffMs / 1000)}s`
        : o.reason,
    };
  });
  return { ...status, objects };
}
