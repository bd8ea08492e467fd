import type { SwarmEngine, SwarmServiceSpec } from '../engine/swarm/swarm-types.js';
import {
  CHANGED_OUTSIDE,
  swarmStatus,
  wantedFromSpecs,
  type SwarmServiceStatus,
} from './swarm-status.js';

/** How often apply re-reads the Swarm while it waits (one observe: five list calls). */
const POLL_MS = 500;

/**
 * Waits until every service in `specs` runs its declared replicas on the current spec with
 * no older task left (a rolling update done), until an update is paused or rolled back by
 * the Swarm (a failed gate: fails at once) or the service is scaled by someone else, or until `deadline` (unix ms). Resolves with the
 * last status of each service; `ready` false means it did not converge.
 */
export async function waitForServices(
  engine: SwarmEngine,
  project: string,
  specs: ReadonlyMap<string, SwarmServiceSpec>,
  deadline: number,
  now: () => number = Date.now,
): Promise<SwarmServiceStatus[]> {
  for (;;) {
    const statuses = swarmStatus(wantedFromSpecs(specs), await engine.observe(project));
    const settled = statuses.every((s) => s.ready || gaveUp(s));
    if (settled || now() >= deadline) return statuses;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * The Swarm stopped an update (paused it, or rolled it back), or someone scaled the service
 * behind berth's back while it waited: waiting longer changes nothing (watch reconciles again).
 */
export function gaveUp(status: SwarmServiceStatus): boolean {
  const reason = status.reason ?? '';
  return /^update (paused|rollback)/.test(reason) || reason.startsWith(CHANGED_OUTSIDE);
}
