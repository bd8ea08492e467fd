import type { Engine } from '../engine/engine.js';
import type { RecoveryStep } from '../plan/recovery-steps.js';

/** Runs recovery steps in order; each is one engine call. */
export async function runRecovery(engine: Engine, steps: readonly RecoveryStep[]): Promise<void> {
  for (const step of steps) {
    if (step.action === 'remove') await engine.removeContainer(step.id);
    else if (step.action === 'rename') await engine.renameContainer(step.id, step.to!);
    else await engine.startContainer(step.id);
  }
}
