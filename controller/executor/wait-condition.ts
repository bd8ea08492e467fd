import type { DependsCondition } from '../../specs/model.js';
import type { ContainerDetails, Engine } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import { lastProbe } from '../lifecycle/output-excerpt.js';
import { lastLogExcerpt } from '../update/gate-evidence.js';

/**
 * Whether a dependency meets a condition now: true, false (not yet), or a reason it never
 * will. The dependency's own steps have run before anyone waits for it, so a container
 * that is gone (or going) was removed behind berth's back: nothing brings it back while
 * its dependants wait (apply runs once; watch recreates it in a later batch and then looks
 * at its dependants again), so waiting could only end at the deadline.
 */
export function conditionMet(
  details: ContainerDetails | undefined,
  condition: DependsCondition,
): boolean | string {
  if (!details) return 'was removed while berth waited for it';
  if (details.state === 'removing') return 'is being removed';
  switch (condition) {
    case 'started':
      return (
        details.state === 'running' ||
        details.state === 'paused' ||
        (details.state === 'exited' && Boolean(details.startedAt))
      );
    case 'healthy':
      if (details.health === 'healthy') return true;
      // Already failing its probe: waiting for the timeout would only delay the same answer.
      if (details.health === 'unhealthy' && details.state === 'running')
        return `is unhealthy${probeText(details)}`;
      if (details.state === 'exited' || details.state === 'dead')
        return `exited with code ${details.exitCode} before it was healthy`;
      if (details.health === 'none' && details.state === 'running')
        return 'has no healthcheck, so it can never be healthy';
      return false;
    case 'completed':
      if (details.state === 'exited')
        return details.exitCode === 0 ? true : `exited with code ${details.exitCode}`;
      return false;
  }
}

/** F540: ` (last probe: exit code 1: …)`, or ` (last probe: exit code 1, no output)`. */
function probeText(details: ContainerDetails): string {
  const probe = lastProbe(details);
  return probe ? ` (last probe: ${probe})` : '';
}

/**
 * ` (last log: …)` for a container whose process ended (F624: a dependant failed with
 * `dependency Container/migrate exited with code 1` and nothing said why): its last log
 * lines (lastLogExcerpt). Empty while it runs, or when there is nothing to quote.
 */
export async function lastLogText(engine: Engine, details: ContainerDetails): Promise<string> {
  if (details.state !== 'exited' && details.state !== 'dead') return '';
  const excerpt = await lastLogExcerpt(engine, details.id);
  return excerpt ? ` (last log: ${excerpt})` : '';
}

/** How a wait for a condition ended: met, never can be (why), or the deadline passed. */
export type ConditionEnd =
  | { met: true }
  /** `lastLog`: ` (last log: …)` of a container that exited (F624), said last; else empty. */
  | { never: string; lastLog: string }
  | { timedOut: true };

/**
 * Polls one container until it meets the condition, can no longer meet it, or the deadline
 * passes. Never rejects for an unmet condition (an engine fault still rejects). A container
 * that can never meet it because it exited says why in its own words: its last log lines.
 */
export async function pollCondition(
  engine: Engine,
  engineName: string,
  condition: DependsCondition,
  deadline: number,
  now: () => number = Date.now,
  pollMs = 200,
): Promise<ConditionEnd> {
  for (;;) {
    const details = await engine.inspectContainer(engineName);
    const met = conditionMet(details, condition);
    if (met === true) return { met };
    if (typeof met === 'string')
      return { never: met, lastLog: details ? await lastLogText(engine, details) : '' };
    if (now() >= deadline) return { timedOut: true };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Polls one container until it meets the condition (DESIGN.md dependsOn), the deadline
 * passes, or it can no longer meet it; rejects with E_CONVERGE in the last two cases.
 */
export async function waitForCondition(
  engine: Engine,
  container: { engineName: string; key: string },
  condition: DependsCondition,
  deadline: number,
  now: () => number = Date.now,
  pollMs = 200,
): Promise<void> {
  const end = await pollCondition(engine, container.engineName, condition, deadline, now, pollMs);
  if ('met' in end) return;
  const message =
    'never' in end
      ? `dependency ${container.key} ${end.never}${end.lastLog}`
      : `timed out waiting for ${container.key} to be ${condition}`;
  throw new BerthError('E_CONVERGE', message, { object: container.key });
}
