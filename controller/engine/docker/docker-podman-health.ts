import type { ContainerDetails, EngineEvent, ObservedContainer } from '../engine.js';
import type { DockerCalls } from './docker-calls.js';

/** The parts of a container's inspect answer that say whether a check is due. */
export interface HealthInspect {
  Config?: { Healthcheck?: { Test?: string[] | null; Interval?: number } | null } | null;
  State: {
    Status?: string;
    StartedAt?: string;
    Health?: { Status?: string; Log?: { Start?: string; End?: string }[] | null } | null;
  };
}

/** Docker's default healthcheck interval, used when the container sets none. */
const DEFAULT_INTERVAL_MS = 30_000;

/** Whether the container declares a healthcheck (fixed at create: its id never gains one). */
export function declaresHealthcheck(c: HealthInspect): boolean {
  const test = c.Config?.Healthcheck?.Test ?? [];
  return test.length > 0 && test[0] !== 'NONE';
}

/**
 * Unix ms at which a running container's next healthcheck is due: its last check's end (or
 * its start) plus its interval; 0 when no time can be read (due now). Undefined when there
 * is nothing to run: no healthcheck declared, not running, or no health state yet.
 */
export function nextCheckAt(c: HealthInspect): number | undefined {
  if (!declaresHealthcheck(c) || c.State.Status !== 'running') return undefined;
  if (!c.State.Health) return undefined;
  const intervalNs = c.Config?.Healthcheck?.Interval ?? 0;
  const interval = intervalNs > 0 ? intervalNs / 1e6 : DEFAULT_INTERVAL_MS;
  const last = c.State.Health.Log?.at(-1);
  const since = Date.parse(last?.End ?? last?.Start ?? c.State.StartedAt ?? '');
  return Number.isFinite(since) ? since + interval : 0;
}

/**
 * Whether a running container's healthcheck is due: its last check (or its start) is at
 * least one interval ago. Podman without systemd never runs checks by itself
 * (ENGINE-NOTES.md, "Podman"), so the adapter runs a due one when it reads the container.
 */
export function healthcheckDue(c: HealthInspect, now: number): boolean {
  const at = nextCheckAt(c);
  return at !== undefined && now >= at;
}

/**
 * Runs one healthcheck through Podman's own endpoint, which records the result in the
 * container's health (status, failing streak, log) and sends a `health_status` event.
 * Resolves whether a check ran; a failed call is no verdict (the next read tries again).
 */
export async function runPodmanHealthcheck(d: DockerCalls, id: string): Promise<boolean> {
  return d.reads.podmanHealthcheck(id).then(
    () => true,
    () => false,
  );
}

/**
 * Podman's Docker-compatible container list has no health (ENGINE-NOTES.md, "Podman"). On
 * Podman, observe also reads libpod's list (one call, whatever the number of containers),
 * whose `Status` is the health, and reads each running container that has a healthcheck
 * through `inspect` — which runs a due check first, as Podman without systemd runs none by
 * itself — so status and get show `healthy`/`unhealthy` as on Docker. Containers without
 * a healthcheck cost nothing more. A failed libpod read leaves the list as it was.
 */
export async function withPodmanHealth(
  d: DockerCalls,
  containers: ObservedContainer[],
  filters: object,
  inspect: (id: string) => Promise<ContainerDetails | undefined>,
): Promise<ObservedContainer[]> {
  const listed = await d.reads.listPodmanContainers({ filters }).catch(() => []);
  const checked = new Set(listed.filter((c) => HEALTH_WORDS.has(c.Status ?? '')).map((c) => c.Id));
  return Promise.all(
    containers.map(async (c) => {
      if (!checked.has(c.id) || c.state !== 'running') return c;
      const details = await inspect(c.id);
      return details ? { ...c, health: details.health } : c;
    }),
  );
}

/** libpod's list `Status` of a container that has a healthcheck. */
export const HEALTH_WORDS = new Set(['starting', 'healthy', 'unhealthy']);

/**
 * How long a `starting` read of a Podman health event waits for a second read (ms): the
 * event can arrive before the check's verdict is readable (seen: a read ~20 ms after the event
 * said `starting`, another process's read of the same event said `healthy`, no later check).
 */
export const VERDICT_SETTLE_MS = 250;

/**
 * Podman's `health_status` event is a bare action, and the `HealthStatus` beside it is the
 * verdict from before the check that sent it (Podman 4.3: a passing first check arrives as
 * `starting`, the next as `healthy`; ENGINE-NOTES.md). The container's verdict is read now
 * (`inspect`, no check run) and the event given Docker's form, `health_status: <verdict>`;
 * a `starting` read is read again after {@link VERDICT_SETTLE_MS} (the event may come before
 * the verdict is written). Undefined when the container is gone or has no health. Other
 * events pass unchanged.
 */
export async function withPodmanVerdict(
  event: EngineEvent,
  inspect: (id: string) => Promise<HealthInspect>,
  settleMs = VERDICT_SETTLE_MS,
): Promise<EngineEvent | undefined> {
  if (event.type !== 'container' || event.action !== 'health_status') return event;
  const read = () =>
    inspect(event.id).then(
      (raw) => raw.State.Health?.Status,
      () => undefined,
    );
  let status = await read();
  if (status === 'starting') {
    await new Promise((r) => setTimeout(r, settleMs));
    status = (await read()) ?? status;
  }
  return status ? { ...event, action: `health_status: ${status}` } : undefined;
}
