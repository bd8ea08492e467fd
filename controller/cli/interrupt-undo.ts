import type { ObjectKey } from '../../specs/model.js';
import type { Engine } from '../engine/engine.js';
import { keyOn } from '../executor/placement.js';
import { runRecovery } from '../executor/run-recovery.js';
import { recoverySteps, type RecoveryStep } from '../plan/recovery-steps.js';
import type { GuardedEngine } from './interrupt.js';

/** What undoing after Ctrl-C did: the steps run, or why it stopped. */
export interface UndoResult {
  steps: RecoveryStep[];
  /** Set when the undo failed or ran out of time; the next apply or down finishes it. */
  error?: string;
}

/**
 * After Ctrl-C, before berth exits (FINDINGS F3; DESIGN.md "Updates and rollback": exactly
 * one container answers to the name, no `-next`/`-prev` left): observes the project's
 * containers, plans the recovery steps of its unfinished updates (recovery-steps.ts: a `-next`
 * beside the named container is removed; a `-prev` is renamed back and started, the new one
 * removed) and runs them, within `ms`. `engine` must be the engine without the interrupt's
 * refusal. Never rejects.
 */
export async function undoUnfinishedUpdates(
  engine: Engine,
  project: string,
  ms: number,
): Promise<UndoResult> {
  let steps: RecoveryStep[] = [];
  let timer: NodeJS.Timeout | undefined;
  const work = (async (): Promise<UndoResult> => {
    const observed = await engine.observe({ project });
    steps = recoverySteps(observed.containers, project);
    await runRecovery(engine, steps);
    return { steps };
  })();
  const late = new Promise<UndoResult>((resolve) => {
    timer = setTimeout(() => resolve({ steps, error: `not finished within ${ms / 1000}s` }), ms);
  });
  try {
    return await Promise.race([
      work.catch((e: unknown) => ({ steps, error: (e as Error).message })),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Undoes the unfinished updates on every engine an apply reached (`guarded`, from its
 * interrupt; an apply across contexts reaches several), one engine after another — two
 * contexts may reach one engine, and one pass then finds nothing left — within `ms` in all.
 * Steps on another context's engine are keyed `Kind/name@context`. Never rejects.
 */
export async function undoOnEngines(
  guarded: readonly GuardedEngine[],
  project: string,
  ms: number,
): Promise<UndoResult> {
  const end = Date.now() + ms;
  const steps: RecoveryStep[] = [];
  const errors: string[] = [];
  for (const { engine, context } of guarded) {
    const undo = await undoUnfinishedUpdates(engine, project, Math.max(0, end - Date.now()));
    steps.push(...undo.steps.map((s) => ({ ...s, key: keyOn(s.key as ObjectKey, context) })));
    if (undo.error) errors.push(context ? `context "${context}": ${undo.error}` : undo.error);
  }
  return errors.length ? { steps, error: errors.join('; ') } : { steps };
}

/** Lines for the interrupted summary: what was undone, or that the next apply will. */
export function undoText(undo: UndoResult): string[] {
  const done = undo.steps.map((s) => `${s.action} ${s.key}`).join(', ');
  if (undo.error)
    return [`  unfinished update not undone (${undo.error}); the next apply or down finishes it`];
  return undo.steps.length ? [`  unfinished update undone: ${done}`] : [];
}
