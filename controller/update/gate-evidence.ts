import type { ContainerDetails, Engine } from '../engine/engine.js';
import { lastProbe, outputExcerpt } from '../lifecycle/output-excerpt.js';

/** How many of its last log lines a failed new container's reason quotes (F560). */
export const LOG_TAIL_LINES = 5;

/**
 * Why a new container failed its update gate, read once from the engine before it is
 * discarded (F540: the reason said only `the new container is unhealthy`, and the container
 * that could tell was removed): the health probe's last result, and, when it exited (or is
 * restarting after an exit), how (`out of memory`, the engine's error) and its last
 * {@link LOG_TAIL_LINES} log lines (F560: `boom` on stderr was lost with the container). Only
 * the failure path pays this inspect (and log read). Never rejects: a container already gone,
 * or an engine that does not answer, gives undefined. Secret values never appear
 * (outputExcerpt hides them).
 */
export async function gateEvidence(engine: Engine, id: string): Promise<string | undefined> {
  const details = await engine.inspectContainer(id).catch(() => undefined);
  if (!details) return undefined;
  const parts = [...exitParts(details)];
  const probe = lastProbe(details);
  if (probe) parts.push(`last probe: ${probe}`);
  if (stopped(details)) {
    const excerpt = await lastLogExcerpt(engine, id);
    if (excerpt) parts.push(`last log: ${excerpt}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}

/**
 * A container's last {@link LOG_TAIL_LINES} log lines on one line, cut from the start and with
 * Secret values masked (outputExcerpt); empty when it wrote nothing or the engine cannot read
 * its log. The one way a reason quotes a container's log: a failed gate (F560), a dependency
 * that exited and the dependants it fails (F624).
 */
export async function lastLogExcerpt(engine: Engine, id: string): Promise<string> {
  const log = await engine.tailLogs(id, LOG_TAIL_LINES).catch(() => undefined);
  return log ? outputExcerpt(log, 'end') : '';
}

/** Its process ended: what it wrote last says why. */
export function stopped(details: Pick<ContainerDetails, 'state'>): boolean {
  return details.state === 'exited' || details.state === 'dead' || details.state === 'restarting';
}

function exitParts(details: ContainerDetails): string[] {
  if (details.state !== 'exited' && details.state !== 'dead') return [];
  // The gate's reason already names the exit code.
  const parts: string[] = [];
  if (details.oomKilled) parts.push('out of memory');
  const error = details.error ? outputExcerpt(details.error) : '';
  if (error) parts.push(`engine: ${error}`);
  return parts;
}
