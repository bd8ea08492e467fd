import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { installInterrupt, type Interrupt } from './interrupt.js';

const fakeEngine = {
  subscribeEvents: () => ({ close: () => undefined }),
  inspectContainer: () => Promise.resolve(undefined),
} as unknown as Engine;

let interrupt: Interrupt | undefined;
afterEach(() => interrupt?.dispose());

describe('installInterrupt', () => {
  it('passes calls through until Ctrl-C', async () => {
    interrupt = installInterrupt(fakeEngine, () => undefined);
    expect(typeof interrupt.engine.subscribeEvents({}, () => undefined).close).toBe('function');
    await expect(interrupt.engine.inspectContainer('x')).resolves.toBeUndefined();
  });

  it('after Ctrl-C refuses new calls: promises reject, subscribeEvents throws (never a stray rejection)', async () => {
    interrupt = installInterrupt(fakeEngine, () => undefined);
    process.emit('SIGINT');
    expect(interrupt.interrupted).toBe(true);
    await expect(interrupt.engine.inspectContainer('x')).rejects.toMatchObject({
      code: 'E_INTERRUPTED',
    });
    expect(() => interrupt!.engine.subscribeEvents({}, () => undefined)).toThrow(
      expect.objectContaining({ code: 'E_INTERRUPTED' }),
    );
  });
});
