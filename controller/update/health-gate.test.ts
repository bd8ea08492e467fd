import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import { healthGate } from './health-gate.js';

/** An engine whose inspect fails as the interrupted apply's engine does (Ctrl-C: no new calls). */
function refusingEngine(): { engine: Engine; closed: () => boolean } {
  let closed = false;
  const engine = {
    subscribeEvents: () => ({ close: () => (closed = true) }),
    inspectContainer: () =>
      Promise.reject(new BerthError('E_INTERRUPTED', 'interrupted (Ctrl-C): not started')),
  } as unknown as Engine;
  return { engine, closed: () => closed };
}

describe('healthGate', () => {
  it('rejects with the engine error when its inspect fails, instead of an unhandled rejection', async () => {
    const { engine, closed } = refusingEngine();
    const gate = healthGate(engine, 'p', 'id', { kind: 'healthy', timeoutMs: 60_000 });
    await expect(gate).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    expect(closed()).toBe(true);
  });

  it('ends at once with E_INTERRUPTED when its signal aborts (Ctrl-C), closing its subscription', async () => {
    let closed = false;
    const engine = {
      subscribeEvents: () => ({ close: () => (closed = true) }),
      inspectContainer: () => new Promise(() => undefined),
    } as unknown as Engine;
    const abort = new AbortController();
    const gate = healthGate(
      engine,
      'p',
      'id',
      { kind: 'healthy', timeoutMs: 60_000 },
      { signal: abort.signal },
    );
    abort.abort();
    await expect(gate).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    expect(closed).toBe(true);
  });
});
