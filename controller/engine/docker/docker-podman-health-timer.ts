import { LABEL } from '../../labels.js';
import type { DockerCalls } from './docker-calls.js';
import {
  HEALTH_WORDS,
  declaresHealthcheck,
  nextCheckAt,
  type HealthInspect,
} from './docker-podman-health.js';
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

/** A running {@link startHealthTimer}. */
export interface HealthTimer {
  /** Stops it: no list, inspect or check after this. */
  stop(): void;
  /**
   * A container of the project just started (its `start` event): its first check is run when
   * due (its start plus its interval, as Docker does), without waiting for the next list.
   */
  started(id: string): void;
}

/**
 * Stands in for the per-container timers Podman starts through systemd: without systemd it
 * runs no healthcheck at all (ENGINE-NOTES.md, "Podman"), so a `berth watch` would never see
 * a container turn healthy or unhealthy. While berth follows a project's events on Podman,
 * each running container of it with a healthcheck has its check run through libpod's endpoint
 * whenever one is due (its interval since the last check ended); Podman records the verdict
 * and sends `health_status` as Docker does by itself. Costs one list call per `intervalMs`
 * and one inspect per container per check interval (not per tick). A check in progress
 * (0.3–1.2 s through conmon here) holds up neither the list nor another container's check:
 * a new container's first check of a 1 s interval came ~2.8 s after its start when ticks
 * waited for the old container's check, and missed a 3 s update gate (F41).
 */
export function startHealthTimer(
  calls: HealthTimerCalls,
  intervalMs = HEALTH_TIMER_MS,
  now: () => number = Date.now,
): HealthTimer {
  /** Unix ms before which a container's check is not due, as last read. */
  const notBefore = new Map<string, number>();
  /** Containers being read or checked now: one check at a time each. */
  const inFlight = new Set<string>();
  /**
   * Containers read once and found to declare no healthcheck: their `start`s are not read
   * again (a crash loop on Podman starts one at once after every exit: an inspect per exit,
   * beside the one the watch makes for the exit, F220).
   */
  const withoutCheck = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  /** When the next look is set for (Infinity while a look runs or none is set). */
  let wakeAt = Infinity;

  /** Sets the next look for `at`, unless one is set sooner already. */
  const wakeBy = (at: number) => {
    if (stopped || at >= wakeAt) return;
    clearTimeout(timer);
    wakeAt = at;
    timer = setTimeout(
      () => {
        wakeAt = Infinity;
        void tick();
      },
      Math.max(MIN_WAIT_MS, at - now()),
    );
    timer.unref?.();
  };

  const checkOne = async (id: string): Promise<void> => {
    if (stopped || inFlight.has(id) || withoutCheck.has(id) || (notBefore.get(id) ?? 0) > now())
      return;
    inFlight.add(id);
    try {
      const read = await calls.inspect(id);
      if (!declaresHealthcheck(read)) return void withoutCheck.add(id);
      let due = nextCheckAt(read);
      if (due !== undefined && due <= now() && !stopped) {
        await calls.run(id);
        due = nextCheckAt(await calls.inspect(id));
      }
      // No health state yet (just started): look again at the next tick.
      if (due === undefined) {
        notBefore.delete(id);
      } else {
        notBefore.set(id, due);
        wakeBy(due);
      }
    } finally {
      inFlight.delete(id);
    }
  };
  // A failed read or run is no verdict: the next tick tries again.
  const check = (id: string) => void checkOne(id).catch(() => undefined);

  async function tick(): Promise<void> {
    const listed = await calls.list().catch(() => [] as PodmanListed[]);
    if (stopped) return;
    const watched = listed.filter((c) => c.State === 'running' && HEALTH_WORDS.has(c.Status ?? ''));
    const ids = new Set(watched.map((c) => c.Id));
    for (const id of notBefore.keys()) if (!ids.has(id)) notBefore.delete(id);
    const present = new Set(listed.map((c) => c.Id));
    for (const id of withoutCheck) if (!present.has(id)) withoutCheck.delete(id);
    // Each container's read (and due check) goes on by itself; the next look does not wait
    // for it, and a read that finds a check due sooner brings the next look forward.
    for (const id of ids) check(id);
    // The next look: at the earliest due check, and at least every `intervalMs` for new ones
    // (a check under way sets its next one when it ends).
    const due = [...notBefore].filter(([id]) => !inFlight.has(id)).map(([, at]) => at);
    wakeBy(Math.min(now() + intervalMs, ...due));
  }

  void tick();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
    started: check,
  };
}

/**
 * {@link startHealthTimer} over one Podman engine, for the containers of `project` (every
 * project's when undefined). docker-engine.ts runs it while an event subscription follows.
 */
export function startProjectHealthTimer(d: DockerCalls, project: string | undefined): HealthTimer {
  const label = project === undefined ? LABEL.project : `${LABEL.project}=${project}`;
  return startHealthTimer({
    list: () => d.reads.listPodmanContainers({ filters: { label: [label] } }),
    inspect: async (id) => (await d.reads.getContainer(id).inspect()) as unknown as HealthInspect,
    run: (id) => d.reads.podmanHealthcheck(id),
  });
}
