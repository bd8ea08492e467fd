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

  it("ends with the abort's reason when it is a BerthError (apply --timeout, F128)", async () => {
    const engine = {
      subscribeEvents: () => ({ close: () => undefined }),
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
    abort.abort(new BerthError('E_CONVERGE', 'apply timed out after 4.0s (--timeout 4s)'));
    await expect(gate).rejects.toMatchObject({
      code: 'E_CONVERGE',
      message: 'apply timed out after 4.0s (--timeout 4s)',
    });
  });

  it('passes on a healthy verdict given before its stream attached (F125): it replays from before the gate', async () => {
    // An engine whose stream attaches late: only a replay (since) carries what happened
    // between the subscribe call and the attach; the inspect ran before the verdict.
    const verdictAt = Date.now();
    const engine = {
      subscribeEvents: (options: { since?: number }, onEvent: (e: unknown) => void) => {
        setTimeout(() => {
          if (options.since !== undefined && options.since <= verdictAt)
            onEvent({ type: 'container', id: 'id', action: 'health_status: healthy' });
        }, 50);
        return { close: () => undefined };
      },
      inspectContainer: () =>
        Promise.resolve({ state: 'running', health: 'starting', healthLog: [] }),
    } as unknown as Engine;
    const result = await healthGate(engine, 'p', 'id', { kind: 'healthy', timeoutMs: 1_000 });
    expect(result).toEqual({ passed: true });
  });
});
