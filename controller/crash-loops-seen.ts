import type { Engine, ObservedContainer, ObservedState } from './engine/engine.js';
import { LABEL } from './labels.js';
import type { StartRecords } from './records/starts.js';
import { containerReadiness, needsDetails } from './status/readiness.js';

/** What {@link withCrashLoopsSeen} needs: berth's own starts of the project's containers. */
export interface CrashLoopLook {
  project: string;
  /** Engine id → Unix ms berth's last start of it returned (records/starts.ts). */
  berthStarts: StartRecords;
  now: number;
}

/**
 * The observation with each owned container that the list shows `running` but that is
 * crash-looping shown as `restarting`, as the engine shows it most of the time (F420: a no-op
 * apply that caught such a container between two restarts planned it in sync and exited 0;
 * a moment later the same apply failed it with CrashLoopBackOff). Only the containers status
 * would inspect are (`needsDetails`: up less than the crash-loop window, and not by a start of
 * berth's), one inspect each: a steady project costs no call. The container machine then
 * judges the loop as it judges a `restarting` one. For the writers (apply), not plan/status.
 */
export async function withCrashLoopsSeen(
  engine: Engine,
  observed: ObservedState,
  look: CrashLoopLook,
): Promise<ObservedState> {
  const suspects = observed.containers.filter((c) => isSuspect(c, look));
  if (suspects.length === 0) return observed;
  const looping = new Set<string>();
  await Promise.all(
    suspects.map(async (c) => {
      const details = await engine.inspectContainer(c.id);
      if (!details) return;
      const readiness = containerReadiness({ container: c, details, now: look.now });
      if (readiness.reason === 'CrashLoopBackOff') looping.add(c.id);
    }),
  );
  if (looping.size === 0) return observed;
  return {
    ...observed,
    containers: observed.containers.map((c) =>
      looping.has(c.id) ? { ...c, state: 'restarting' as const } : c,
    ),
  };
}

function isSuspect(c: ObservedContainer, look: CrashLoopLook): boolean {
  return (
    c.labels[LABEL.project] === look.project &&
    c.state === 'running' &&
    needsDetails(c, look.now, look.berthStarts[c.id])
  );
}
