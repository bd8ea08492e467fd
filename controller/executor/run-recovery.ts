import { isEngineError, type Engine } from '../engine/engine.js';
import type { RecoveryStep } from '../plan/recovery-steps.js';

/**
 * Runs recovery steps in order; each is one engine call. An optional rename whose name is
 * taken (E_CONFLICT) is skipped; any other failure rejects. Resolves with the steps that ran.
 */
export async function runRecovery(
  engine: Engine,
  steps: readonly RecoveryStep[],
): Promise<RecoveryStep[]> {
  const ran: RecoveryStep[] = [];
  for (const step of steps) {
    try {
      await runStep(engine, step);
      ran.push(step);
    } catch (e) {
      if (!(step.optional && isEngineError(e, 'E_CONFLICT'))) throw e;
    }
  }
  return ran;
}

async function runStep(engine: Engine, step: RecoveryStep): Promise<unknown> {
  if (step.action === 'remove') return engine.removeContainer(step.id);
  if (step.action === 'rename') return engine.renameContainer(step.id, step.to!);
  return engine.startContainer(step.id);
}
