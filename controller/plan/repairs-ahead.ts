import type { ObservedContainer } from '../engine/engine.js';
import { nameRepairSteps } from './name-repairs.js';
import { recoverySteps, type RecoveryStep } from './recovery-steps.js';

/** The repairs a writer runs before it plans, and the containers as they will be after them. */
export interface RepairsAhead {
  /** Name repairs, then the finishing or undoing of updates cut short, in the order they run. */
  steps: RecoveryStep[];
  /** The observed containers with those steps played on them (pure; nothing is called). */
  containers: ObservedContainer[];
}

/**
 * What apply and the controller do before they plan (observe.ts `recovered`): give renamed
 * containers their names back, then finish or undo updates an earlier berth was killed in the
 * middle of, each round computed on what the one before left. Played here on the snapshot, so
 * that `plan` and `status` plan what comes after the repairs — the update that is made again
 * once a stop-first update was undone, say — and not the leftover's own state (F667: plan
 * showed the undo, then "start: not started yet" for the new container the undo removes, and
 * not the update apply then made). Pure.
 */
export function repairsAhead(containers: ObservedContainer[], project: string): RepairsAhead {
  let current = containers;
  const steps: RecoveryStep[] = [];
  for (const stepsFor of [nameRepairSteps, recoverySteps]) {
    const round = stepsFor(current, project);
    steps.push(...round);
    current = round.reduce(playStep, current);
  }
  return { steps, containers: current };
}

/** One repair played on the containers as the engine would do it. */
function playStep(containers: ObservedContainer[], step: RecoveryStep): ObservedContainer[] {
  if (step.action === 'remove') return containers.filter((c) => c.id !== step.id);
  return containers.map((c) => (c.id === step.id ? played(c, step) : c));
}

function played(c: ObservedContainer, step: RecoveryStep): ObservedContainer {
  if (step.action === 'rename') return { ...c, name: step.to ?? c.name };
  // Started: running, its last exit forgotten, a healthcheck starting over.
  const { exitCode: _exit, finishedAt: _finished, ...rest } = c;
  return { ...rest, state: 'running', health: c.health === 'none' ? 'none' : 'starting' };
}
