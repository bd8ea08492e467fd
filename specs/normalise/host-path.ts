import { hostPathViolation } from '../policy.js';
import { realHostPath } from '../read/real-path.js';
import type { NormaliseContext } from './context.js';

/**
 * Reports E_POLICY at `at` when the policy forbids host path `path`, judged by where it
 * really leads (links followed: specs/policy.ts hostPathViolation). The one check for every
 * host path a manifest names: bind mounts, bind and file-system volumes, build contexts and
 * secrets, Secret/Config files, envFiles. Returns whether it was refused.
 */
export function refuseHostPath(
  path: string,
  at: (string | number)[],
  ctx: NormaliseContext,
): boolean {
  const violation = hostPathViolation(path, ctx.policy, realHostPath);
  if (violation) ctx.report('E_POLICY', at, violation);
  return violation !== undefined;
}
