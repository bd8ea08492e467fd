import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../watch/event-bus.js';
import { startApiServer, type ApiServer } from './server.js';

let server: ApiServer | undefined;
afterEach(async () => server?.close());

const TOKEN = 't0ken';
const start = async () =>
  (server = await startApiServer('127.0.0.1:0', TOKEN, {
    bus: new EventBus(),
    status: () => Promise.reject(new Error('not asked')),
    health: () => ({ project: 'shop', engine: 'unix:///var/run/docker.sock' }),
    metrics: () => '',
  }));

describe('the status API edges (F161)', () => {
  it('answers /healthz to anyone, but says what it runs only with the token', async () => {
    const { address } = await start();
    const open = await fetch(`http://${address}/healthz`);
    expect(open.status).toBe(200);
    expect(await open.json()).toEqual({ ok: true });
    const authorised = await fetch(`http://${address}/healthz`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(await authorised.json()).toEqual({
      ok: true,
      project: 'shop',
      engine: 'unix:///var/run/docker.sock',
    });
  });

  it('names the allowed method with a 405', async () => {
    const { address } = await start();
    const answer = await fetch(`http://${address}/api/v1/status`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers HEAD wherever it answers GET, headers only (F279 a)', async () => {
    const { address } = await start();
    const health = await fetch(`http://${address}/healthz`, { method: 'HEAD' });
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/json/);
    expect(await health.text()).toBe('');
    const events = await fetch(`http://${address}/api/v1/events`, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toBe('text/event-stream');
  });
});
