import type {
  ContainerDetails,
  EngineContainerState,
  HealthStatus,
  ObservedContainer,
} from '../engine/engine.js';
import { lastProbe } from '../lifecycle/output-excerpt.js';
import { counted } from '../count-text.js';

/**
 * Why a container declared `running` is not ready (DESIGN.md, second wave: "Readiness,
 * restarts and back-off"). `HealthStarting` is not a failure: its probe has not passed yet.
 */
export type NotReadyReason = 'CrashLoopBackOff' | 'Unhealthy' | 'BackOff' | 'HealthStarting';

/** What status, `get -o json` and the status API say of every container's readiness. */
export interface ContainerReadiness {
  /** berth's restarts plus the engine's `RestartCount` of the current container. */
  restarts: number;
  /** Exit code of the last time it stopped; null when it never has. */
  lastExitCode: number | null;
  /**
   * The kernel's OOM killer ended its last run (the engine's State.OOMKilled; Kubernetes'
   * reason OOMKilled). Known while it is stopped or restarting: the engine forgets at a start.
   */
  oomKilled: boolean;
  health: HealthStatus;
  /** Running, and healthy where it has a healthcheck, and not crash-looping. */
  ready: boolean;
  /** Set when declared `running` and not ready. */
  reason?: NotReadyReason;
  /** One line for people: restarts, exit code, the probe's last output. */
  message?: string;
}

export interface ReadinessInput {
  container: ObservedContainer;
  /** `inspect` of the container; without it restarts and exit codes are what the list says. */
  details?: ContainerDetails;
  /** Restarts berth made (watch's back-off tracker, or the project's record). */
  berthRestarts?: number;
  /**
   * How long berth would wait before its next restart of this container, in ms. It only
   * matters while a restart is due (the container is not running, or is unhealthy): a
   * container running healthy after a restart is ready, and the back-off applies to the
   * restart after next (DESIGN.md second wave; Kubernetes' CrashLoopBackOff).
   */
  backoffMs?: number;
  /** Unix ms. */
  now: number;
}

/**
 * A container restarted by the engine less than this long ago is still crash-looping: a
 * process that dies after a second is `running` most of the time it is looked at.
 */
export const CRASH_LOOP_WINDOW_MS = 10_000;

/**
 * How much later than berth's own start of a container the list's start time of that run
 * may lie: the list gives a start to the second (it says "Up 3 seconds" for 3.0–3.99 s), and
 * berth measures it back from the moment it read the answer, a little after the engine
 * wrote it. A later start than this is one berth did not make.
 */
export const START_NOISE_MS = 1_500;

/**
 * Whether readiness needs the container's inspect (restart count, probe output), or the list
 * answer settles it. Status observes with list calls only (issue 18: a constant number of
 * engine calls whatever N) and inspects just the containers this picks: one restarting, one
 * reported unhealthy (DESIGN asks for the probe's last output), and one running for less
 * than `CRASH_LOOP_WINDOW_MS` whose current run berth did not start: `berthStartedAt` (when
 * berth's last start of this container returned, from its records) is missing, or the list
 * says the run began later than that by more than {@link START_NOISE_MS}. Such a start is the
 * engine's restart policy at work, and only the engine's restart count tells a crash loop.
 * Everything else is ready or not from its list entry. Pure.
 */
export function needsDetails(
  container: ObservedContainer,
  now: number,
  berthStartedAt?: number,
): boolean {
  if (container.state === 'restarting') return true;
  // Killed (SIGKILL, 137): only the inspect tells the OOM killer from `docker kill` (F464).
  if (container.state === 'exited' || container.state === 'dead')
    return container.exitCode === OOM_EXIT_CODE;
  if (container.state !== 'running') return false;
  if (container.health === 'unhealthy') return true;
  const started = container.startedAt;
  if (started === undefined) return true;
  if (now - started >= CRASH_LOOP_WINDOW_MS) return false;
  return berthStartedAt === undefined || started > berthStartedAt + START_NOISE_MS;
}

/** 128 + SIGKILL: how a run the kernel's OOM killer ended exits. */
export const OOM_EXIT_CODE = 137;

/** Readiness of one container, from the engine's word alone (plus berth's own restarts). Pure. */
export function containerReadiness(input: ReadinessInput): ContainerReadiness {
  const { container, details } = input;
  const state = details?.state ?? container.state;
  const health = details?.health ?? container.health;
  const engineRestarts = details?.restartCount ?? 0;
  const restarts = (input.berthRestarts ?? 0) + engineRestarts;
  const lastExitCode = exitCodeOf(state, container, details);
  const oomKilled = lastExitCode !== null && (details?.oomKilled ?? container.oomKilled ?? false);
  const recentlyRestarted =
    engineRestarts > 0 &&
    details?.startedAt !== undefined &&
    input.now - details.startedAt < CRASH_LOOP_WINDOW_MS;
  const crashLooping = state === 'restarting' || (state === 'running' && recentlyRestarted);
  const base = { restarts, lastExitCode, oomKilled, health };
  const code =
    lastExitCode === null
      ? ''
      : `, last exit code ${lastExitCode}${oomKilled ? ' (OOMKilled)' : ''}`;
  if (crashLooping)
    return {
      ...base,
      ready: false,
      reason: 'CrashLoopBackOff',
      message: `crash loop: ${counted(restarts, 'restart')}${code}${probeSuffix(details)}`,
    };
  const restartDue = state !== 'running' || health === 'unhealthy';
  if ((input.backoffMs ?? 0) > 0 && restartDue)
    return {
      ...base,
      ready: false,
      reason: 'BackOff',
      message: `back-off: next restart in ${Math.ceil((input.backoffMs ?? 0) / 1000)}s (${counted(restarts, 'restart')}${code})${probeSuffix(details)}`,
    };
  if (state === 'running' && health === 'unhealthy')
    return { ...base, ready: false, reason: 'Unhealthy', message: unhealthyMessage(details) };
  if (state === 'running' && health === 'starting')
    return {
      ...base,
      ready: false,
      reason: 'HealthStarting',
      message: 'healthcheck has not passed yet',
    };
  // The list (the row's ACTUAL, and what the plan was made from) and the inspect read just
  // after it must both say running: a `docker restart` between them showed "exited … ready
  // yes" (F852). The next read agrees either way.
  return { ...base, ready: state === 'running' && container.state === 'running' };
}

function exitCodeOf(
  state: EngineContainerState,
  container: ObservedContainer,
  details: ContainerDetails | undefined,
): number | null {
  // The engine resets State.ExitCode to 0 on every start: only a stopped (or restarting)
  // container still tells how it last ended.
  if (stoppedState(state)) return details?.exitCode ?? container.exitCode ?? null;
  // The list, read just before the inspect, saw it stopped: a crash loop between two runs.
  // That exit is its last one; the inspect's 0 is the reset (F805: status and describe said
  // `-` in the short running moment between restarts, and `3` a second later).
  if (details && stoppedState(container.state)) return container.exitCode ?? null;
  return null;
}

function stoppedState(state: EngineContainerState): boolean {
  return state === 'exited' || state === 'dead' || state === 'restarting';
}

/**
 * `; last probe: exit code 1: …` when the container has a health probe that ran: DESIGN.md
 * asks for its last output beside CrashLoopBackOff and BackOff too, not only Unhealthy (F620:
 * a container waiting out a back-off after failing its probe said only `back-off: …`).
 */
function probeSuffix(details: ContainerDetails | undefined): string {
  const probe = lastProbe(details);
  return probe ? `; last probe: ${probe}` : '';
}

function unhealthyMessage(details: ContainerDetails | undefined): string {
  const probe = lastProbe(details);
  return probe ? `healthcheck reports unhealthy: ${probe}` : 'healthcheck reports unhealthy';
}
