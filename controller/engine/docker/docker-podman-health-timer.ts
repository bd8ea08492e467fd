import { LABEL } from '../../labels.js';
import type { DockerCalls } from './docker-calls.js';
import { HEALTH_WORDS, nextCheckAt, type HealthInspect } from './docker-podman-health.js';
import type { PodmanListed } from './docker-reads.js';

/** How often the timer looks at the list at least while it runs (new containers are seen within it). */
export const HEALTH_TIMER_MS = 1000;

/** The shortest wait between two looks, whatever is due. */
const MIN_WAIT_MS = 50;

/** What the timer reads and runs; docker-engine.ts binds them to one project on Podman. */
export interface HealthTimerCalls {
  /** libpod's list of the project's containers (its `Status` is the health). */
  list(): Promise<PodmanListed[]>;
  inspect(id: string): Promise<HealthInspect>;
  /** Runs the container's check once (libpod's healthcheck endpoint). */
  run(id: string): Promise<unknown>;
}

/**
 * Stands in for the per-container timers Podman starts through systemd: without systemd it
 * runs no healthcheck at all (ENGINE-NOTES.md, "Podman"), so a `berth watch` would never see
 * a container turn healthy or unhealthy. While berth follows a project's events on Podman,
 * each running container of it with a healthcheck has its check run through libpod's endpoint
 * whenever one is due (its interval since the last check ended); Podman records the verdict
 * and sends `health_status` as Docker does by itself. Costs one list call per `intervalMs`
 * and one inspect per container per check interval (not per tick). Returns the stop function.
 */
export function startHealthTimer(
  calls: HealthTimerCalls,
  intervalMs = HEALTH_TIMER_MS,
  now: () => number = Date.now,
): () => void {
  /** Unix ms before which a container's check is not due, as last read. */
  const notBefore = new Map<string, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const checkOne = async (id: string): Promise<void> => {
    if ((notBefore.get(id) ?? 0) > now()) return;
    let due = nextCheckAt(await calls.inspect(id));
    if (due !== undefined && due <= now()) {
      await calls.run(id);
      due = nextCheckAt(await calls.inspect(id));
    }
    // No health state yet (just started): look again at the next tick.
    if (due === undefined) notBefore.delete(id);
    else notBefore.set(id, due);
  };

  const tick = async (): Promise<void> => {
    const listed = await calls.list().catch(() => [] as PodmanListed[]);
    const watched = listed.filter((c) => c.State === 'running' && HEALTH_WORDS.has(c.Status ?? ''));
    const ids = new Set(watched.map((c) => c.Id));
    for (const id of notBefore.keys()) if (!ids.has(id)) notBefore.delete(id);
    // A failed read or run is no verdict: the next tick tries again.
    await Promise.all([...ids].map((id) => checkOne(id).catch(() => undefined)));
    if (stopped) return;
    // The next look: at the earliest due check, and at least every `intervalMs` for new ones.
    const soonest = Math.min(now() + intervalMs, ...notBefore.values());
    timer = setTimeout(() => void tick(), Math.max(MIN_WAIT_MS, soonest - now()));
    timer.unref?.();
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * {@link startHealthTimer} over one Podman engine, for the containers of `project` (every
 * project's when undefined). docker-engine.ts runs it while an event subscription follows.
 */
export function startProjectHealthTimer(d: DockerCalls, project: string | undefined): () => void {
  const label = project === undefined ? LABEL.project : `${LABEL.project}=${project}`;
  return startHealthTimer({
    list: () => d.reads.listPodmanContainers({ filters: { label: [label] } }),
    inspect: async (id) => (await d.reads.getContainer(id).inspect()) as unknown as HealthInspect,
    run: (id) => d.reads.podmanHealthcheck(id),
  });
}
