import { BerthError } from '../errors.js';
import { decideContainer, type ContainerDecision } from './container-decision.js';
import type { ContainerMachineContext, ContainerSnapshot } from './container-machine-types.js';

/** The lifecycle table's answer for the situation now (the planner asks the same table). */
export const decision = (context: ContainerMachineContext): ContainerDecision =>
  decideContainer(context.situation);

/** Wait before the `n`th look (from 0) at a container the engine is restarting or removing. */
export function settleDelayMs(n: number): number {
  return Math.min(250 * 2 ** n, 1000);
}

/** " (exit code N)" for a container that is not running and has one, else "". */
export function exitCodeText(context: ContainerMachineContext): string {
  const code = context.situation.exitCode;
  return code === undefined || context.situation.observed === 'running'
    ? ''
    : ` (exit code ${code})`;
}

/**
 * The engine's word after an inspect. The health verdict is kept only while the container
 * stays as it was: after berth's own operations the machine knows it has not been probed.
 */
export function withSnapshot(context: ContainerMachineContext, snapshot: ContainerSnapshot) {
  return {
    lastSeen: snapshot,
    containerId:
      snapshot.containerId ?? (snapshot.observed === 'absent' ? undefined : context.containerId),
    situation: { ...context.situation, observed: snapshot.observed, exitCode: snapshot.exitCode },
  };
}

/**
 * A run to judge before it is believed (only when `startSettleMs` is set): one berth just
 * started, or one the engine's restart policy started while this machine waited out
 * `restarting` (untouched: a crash loop is seen running by chance between two restarts).
 */
export function runToJudge(context: ContainerMachineContext): boolean {
  if (context.startSettleMs <= 0) return false;
  return context.ops.length === 0 ? context.settleWaits > 0 : context.ops.at(-1) === 'start';
}

/** How much longer the run seen last must stay up before it counts (0: it is old enough). */
export function holdMs(context: ContainerMachineContext): number {
  return Math.max(0, context.startSettleMs - (context.lastSeen?.runAgeMs ?? 0));
}

/**
 * The run judged has died: the engine restarts it (`restarting`, a restart count above the
 * one first seen, another start time), or it exited and the table would start it again.
 * Docker sets the restart count to 0 on every start by the API, so a count above 0 at the
 * first look after berth's own start is a crash already. Exit code 0 under OnFailure/Never is
 * a completion, and Never's exit is held, not a loop.
 */
export function crashedAfterStart(context: ContainerMachineContext): boolean {
  if (!runToJudge(context)) return false;
  const { observed } = context.situation;
  if (observed === 'restarting') return true;
  if (observed === 'exited') return decision(context).kind === 'op';
  const now = context.lastSeen;
  if (observed !== 'running' || !now) return false;
  const first = context.startedRun;
  if (!first) return context.ops.length > 0 && (now.restartCount ?? 0) > 0;
  return (
    (now.restartCount ?? 0) > (first.restartCount ?? 0) ||
    (now.startedAt !== undefined &&
      first.startedAt !== undefined &&
      now.startedAt !== first.startedAt)
  );
}

/** Why a judged run failed: a crash loop berth did not cause, or a crash right after its start. */
export function crashAfterStartText(context: ContainerMachineContext): string {
  const restarts = context.lastSeen?.restartCount;
  const count = restarts ? `, ${restarts} restart${restarts === 1 ? '' : 's'}` : '';
  if (context.ops.length === 0)
    return `CrashLoopBackOff: the engine keeps restarting it${lastExitText(context)}${count}; this apply did not change it`;
  const restarter =
    context.situation.restartPolicy === 'OnFailure'
      ? 'the engine restarts it after each failure (restartPolicy OnFailure, up to restartMaxRetries when set)'
      : 'the engine restarts it';
  return `CrashLoopBackOff: exited right after its start${lastExitText(context)}${count}; ${restarter}`;
}

/** " (exit code N)" of the last run seen (else the situation's), unless it is running. */
export function lastExitText(context: ContainerMachineContext): string {
  const code = context.lastSeen?.exitCode ?? context.situation.exitCode;
  return code === undefined || context.situation.observed === 'running'
    ? ''
    : ` (exit code ${code})`;
}

/** The refusal of a call after Ctrl-C (SIGTERM, SIGHUP) by the interrupt's guard (interrupt.ts). */
export function refusedAtInterrupt(error: unknown): boolean {
  return error instanceof BerthError && error.code === 'E_INTERRUPTED';
}
