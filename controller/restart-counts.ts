import type { DesiredObject } from '../specs/model.js';
import type { Engine, ObservedState } from './engine/engine.js';
import { LABEL } from './labels.js';

/**
 * The observation with the engine's RestartCount on each exited container whose declaration
 * limits its restarts (`restartMaxRetries`, F602): the list carries no count, and without it
 * the planner would start a container the engine stopped restarting on purpose. One inspect
 * per such container, none for the others; a container gone meanwhile keeps its list entry.
 */
export async function withRestartCounts(
  engine: Pick<Engine, 'inspectContainer'>,
  desired: readonly DesiredObject[],
  observed: ObservedState,
): Promise<ObservedState> {
  const limited = new Set(
    desired.flatMap((o) =>
      o.kind === 'Container' && o.spec.restartMaxRetries !== undefined ? [o.name] : [],
    ),
  );
  if (limited.size === 0) return observed;
  const counted = (c: ObservedState['containers'][number]) =>
    c.state === 'exited' &&
    (c.labels[LABEL.kind] ?? 'Container') === 'Container' &&
    limited.has(c.labels[LABEL.name] ?? '');
  if (!observed.containers.some(counted)) return observed;
  const containers = await Promise.all(
    observed.containers.map(async (c) => {
      if (!counted(c)) return c;
      const details = await engine.inspectContainer(c.id);
      return details ? { ...c, restartCount: details.restartCount } : c;
    }),
  );
  return { ...observed, containers };
}
