import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../engine/engine.js';
import { EventBus } from '../watch/event-bus.js';
import { startApiServer, type ApiServer } from './server.js';

let server: ApiServer | undefined;
afterEach(async () => server?.close());

describe('the status API while the engine is away (F143)', () => {
  it('answers 503 with the engine error and its code, not a bare 500', async () => {
    server = await startApiServer('127.0.0.1:0', undefined, {
      bus: new EventBus(),
      status: () =>
        Promise.reject(
          new EngineError('E_ENGINE_UNREACHABLE', 'cannot reach the engine at unix:///x.sock'),
        ),
      health: () => ({}),
      metrics: () => '',
    });
    const answer = await fetch(`http://${server.address}/api/v1/status`);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({
      code: 'E_ENGINE_UNREACHABLE',
      error: expect.stringContaining('cannot reach the engine'),
    });
  });
});
