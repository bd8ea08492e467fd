import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { createRequest } from '../engine/testing/create-request.js';
import type { RecoveryStep } from '../plan/recovery-steps.js';
import { runRecovery } from './run-recovery.js';

afterEach(() => vi.useRealTimers());

/** An engine holding one container, and the recovery step that removes it. */
async function oneLeftover() {
  const engine = new MemoryEngine();
  engine.addImage('img:1');
  const { id } = await engine.createContainer(
    createRequest({ name: 'p-web-prev', image: 'img:1' }),
  );
  const step: RecoveryStep = { action: 'remove', id, key: 'Container/web', cause: 'leftover' };
  return { engine, step };
}

describe('runRecovery', () => {
  it('tries a step again when the engine fails it for a passing reason (F652)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const { engine, step } = await oneLeftover();
    engine.failNext('removeContainer', 'E_ENGINE', 2);
    const ran = runRecovery(engine, [step]);
    await vi.runAllTimersAsync();
    expect(await ran).toHaveLength(1);
    expect(await engine.inspectContainer('p-web-prev')).toBeUndefined();
  });

  it('gives up after the third try', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const { engine, step } = await oneLeftover();
    engine.failNext('removeContainer', 'E_ENGINE', 3);
    const ran = runRecovery(engine, [step]).catch((e: Error) => e);
    await vi.runAllTimersAsync();
    expect(await ran).toMatchObject({ code: 'E_ENGINE' });
  });
});
