import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import { installInterrupt, type Interrupt } from './interrupt.js';

const fakeEngine = {
  subscribeEvents: () => ({ close: () => undefined }),
  inspectContainer: () => Promise.resolve(undefined),
} as unknown as Engine;

let interrupt: Interrupt | undefined;
afterEach(() => interrupt?.dispose());

describe('installInterrupt', () => {
  it('passes calls through until Ctrl-C', async () => {
    interrupt = installInterrupt(() => undefined);
    const engine = interrupt.guard(fakeEngine);
    expect(typeof engine.subscribeEvents({}, () => undefined).close).toBe('function');
    await expect(engine.inspectContainer('x')).resolves.toBeUndefined();
  });

  it('after Ctrl-C refuses new calls: promises reject, subscribeEvents throws (never a stray rejection)', async () => {
    interrupt = installInterrupt(() => undefined);
    const home = interrupt.guard(fakeEngine);
    const far = interrupt.guard(fakeEngine, 'far');
    process.emit('SIGINT');
    expect(interrupt.interrupted).toBe(true);
    for (const engine of [home, far])
      await expect(engine.inspectContainer('x')).rejects.toMatchObject({
        code: 'E_INTERRUPTED',
      });
    expect(() => home.subscribeEvents({}, () => undefined)).toThrow(
      expect.objectContaining({ code: 'E_INTERRUPTED' }),
    );
    // What undoing after Ctrl-C runs on: every engine guarded, without the refusal.
    expect(interrupt.guarded).toEqual([
      { engine: fakeEngine },
      { engine: fakeEngine, context: 'far' },
    ]);
  });

  it('stop (apply --timeout, F128): refuses new calls with its reason and aborts the gate, not an interrupt', async () => {
    interrupt = installInterrupt(() => undefined);
    const engine = interrupt.guard(fakeEngine);
    const reason = new BerthError('E_CONVERGE', 'apply timed out after 4.0s (--timeout 4s)');
    interrupt.stop(reason);
    interrupt.stop(new BerthError('E_CONVERGE', 'a later reason'));
    expect(interrupt.interrupted).toBe(false);
    expect(interrupt.signal.aborted).toBe(true);
    expect(interrupt.signal.reason).toBe(reason);
    expect(interrupt.stoppedBy).toBe(reason);
    await expect(engine.inspectContainer('x')).rejects.toMatchObject({
      code: 'E_CONVERGE',
      message: 'apply timed out after 4.0s (--timeout 4s): not started',
    });
    expect(() => engine.subscribeEvents({}, () => undefined)).toThrow(
      expect.objectContaining({ code: 'E_CONVERGE' }),
    );
  });

  it('SIGTERM and SIGHUP take the Ctrl-C path and give 128 + the signal (F180)', async () => {
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
      ['SIGINT', 130],
    ] as const) {
      const exits: number[] = [];
      interrupt = installInterrupt((c) => exits.push(c));
      const engine = interrupt.guard(fakeEngine);
      process.emit(signal);
      expect(interrupt.interrupted).toBe(true);
      expect(interrupt.signalledBy).toBe(signal);
      expect(interrupt.exitCode).toBe(code);
      expect(interrupt.signal.aborted).toBe(true);
      await expect(engine.inspectContainer('x')).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
      // A second signal of any kind exits at once, with the first one's code.
      process.emit('SIGINT');
      expect(exits).toEqual([code]);
      interrupt.dispose();
    }
  });

  it('a second signal runs the abandon work (what exists is recorded, F194), then exits; a third exits at once', async () => {
    const exits: number[] = [];
    interrupt = installInterrupt((c) => exits.push(c));
    let release: () => void = () => undefined;
    const recorded = new Promise<void>((r) => (release = r));
    const calls: string[] = [];
    interrupt.onAbandon(async () => {
      calls.push('abandon');
      await recorded;
    });
    process.emit('SIGTERM');
    expect(calls).toEqual([]);
    process.emit('SIGINT');
    expect(calls).toEqual(['abandon']);
    expect(exits).toEqual([]);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(exits).toEqual([143]);
    process.emit('SIGINT');
    expect(exits).toEqual([143, 143]);
    expect(calls).toEqual(['abandon']);
  });
});
