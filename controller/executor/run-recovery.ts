import { isEngineError, type Engine } from '../engine/engine.js';
import type { RecoveryStep } from '../plan/recovery-steps.js';

/** Waits before the second and third try of a step the engine failed for a passing reason. */
const RETRY_DELAYS_MS = [200, 400];

/**
 * Runs recovery steps in order; each is one engine call, tried again after 200 and 400 ms
 * when the engine fails it for a passing reason (E_ENGINE), as the executor's steps are
 * (F652: one failed remove made the whole apply throw). An optional rename whose name is
 * taken (E_CONFLICT) is skipped; any other failure rejects. Resolves with the steps that ran.
 */
export async function runRecovery(
  engine: Engine,
  steps: readonly RecoveryStep[],
): Promise<RecoveryStep[]> {
  const ran: RecoveryStep[] = [];
  for (const step of steps) {
    try {
      await withRetries(() => runStep(engine, step));
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

async function withRetries(call: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await call();
      return;
    } catch (e) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined || !isEngineError(e, 'E_ENGINE')) throw e;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
