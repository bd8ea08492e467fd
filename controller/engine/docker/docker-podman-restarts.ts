import type { ContainerDetails, ObservedContainer } from '../engine.js';
import type { DockerContainerSummary } from './docker-mapping.js';

/**
 * Podman's list says `stopped` both between two runs of a container its restart policy is
 * restarting (a crash loop spends most of its time there: no back-off) and for a moment after
 * any exit, before Podman's cleanup settles it to `exited`; the list carries no restart count
 * to tell them apart (F166). Read as exited, status never inspected a crash-looping container
 * and showed restarts 0 while the engine's RestartCount climbed. On Podman, observe reads each
 * `stopped` container through inspect, which says `restarting` for the first kind
 * (docker-mapping.ts), so status reads its restart count as on Docker and the controller
 * leaves it to the engine; the second kind stays exited. Costs one inspect per container
 * caught `stopped`, nothing for the others; a container gone meanwhile keeps its list entry.
 */
export function withPodmanRestarts(
  containers: ObservedContainer[],
  listed: readonly Pick<DockerContainerSummary, 'Id' | 'State'>[],
  inspect: (id: string) => Promise<ContainerDetails | undefined>,
): Promise<ObservedContainer[]> {
  const stopped = new Set(listed.filter((c) => c.State === 'stopped').map((c) => c.Id));
  return Promise.all(
    containers.map(async (c) => {
      if (!stopped.has(c.id)) return c;
      const details = await inspect(c.id);
      if (details?.state !== 'restarting') return c;
      return { ...c, state: 'restarting' as const, exitCode: details.exitCode };
    }),
  );
}
