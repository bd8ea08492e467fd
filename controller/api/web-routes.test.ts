import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../watch/event-bus.js';
import { LiveView } from '../web/live-view.js';
import type { ActionTable } from './actions.js';
import { startApiServer, type ApiServer } from './server.js';

let server: ApiServer | undefined;
afterEach(async () => server?.close());

async function start(token?: string, ran: (string | undefined)[] = []) {
  const bus = new EventBus();
  const view = new LiveView({
    bus,
    status: () => Promise.reject(new Error('no engine in this test')),
    desired: () => [],
    applied: async () => undefined,
    history: async () => [],
    engineReachable: () => true,
    actions: () => [],
  });
  const actions: ActionTable = new Map([
    [
      'sync',
      {
        action: { id: 'sync', label: 'Sync', scope: 'project' as const },
        run: async (target: string | undefined) => (ran.push(target), 'queued'),
      },
    ],
  ]);
  server = await startApiServer('127.0.0.1:0', token, {
    bus,
    status: () => Promise.reject(new Error('unused')),
    health: () => ({}),
    metrics: () => '',
    live: { view, project: 'demo' },
    actions,
  });
  return `http://${server.address}`;
}

async function csrfOf(base: string, init: RequestInit = {}): Promise<string> {
  const page = await (await fetch(`${base}/`, init)).text();
  return /name="berth-csrf" content="([^"]+)"/.exec(page)![1]!;
}

describe('web view routes', () => {
  it('serves the page with its assets from this server only', async () => {
    const base = await start();
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/assets/app.js">');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await fetch(`${base}/assets/app.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await js.text()).length).toBeGreaterThan(1_000);
  }, 30_000);

  it('answers HEAD of the live stream with its headers at once (F347 a)', async () => {
    const base = await start();
    const head = await fetch(`${base}/api/v1/stream`, {
      method: 'HEAD',
      signal: AbortSignal.timeout(5_000),
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream');
    expect(await head.text()).toBe('');
  });

  it('runs an action only for a same-origin JSON request with the page token', async () => {
    const ran: (string | undefined)[] = [];
    const base = await start(undefined, ran);
    const csrf = await csrfOf(base);
    const post = (headers: Record<string, string>, body = '{}') =>
      fetch(`${base}/api/v1/actions/sync`, { method: 'POST', headers, body });
    const json = { 'Content-Type': 'application/json' };
    expect((await post(json)).status).toBe(403); // no token
    expect((await post({ ...json, 'X-Berth-CSRF': 'guess' })).status).toBe(403);
    const form = { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Berth-CSRF': csrf };
    expect((await post(form, 'target=x')).status).toBe(403);
    const cross = { ...json, 'X-Berth-CSRF': csrf, Origin: 'http://evil.example' };
    expect((await post(cross)).status).toBe(403);
    expect(ran).toEqual([]);
    const ok = await post({ ...json, 'X-Berth-CSRF': csrf });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, message: 'queued' });
    expect(ran).toEqual([undefined]);
    const unknown = await fetch(`${base}/api/v1/actions/rollback`, {
      method: 'POST',
      headers: { ...json, 'X-Berth-CSRF': csrf },
      body: '{}',
    });
    expect(unknown.status).toBe(404);
  });

  it('with a token, the page needs it once in the address, then carries a cookie', async () => {
    const base = await start('s3cret');
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
    const login = await fetch(`${base}/?token=s3cret`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(login.headers.get('set-cookie')).toContain('HttpOnly; SameSite=Strict');
    expect((await fetch(`${base}/api/v1/stream`, { headers: { cookie } })).status).toBe(200);
    expect(await csrfOf(base, { headers: { cookie } })).toMatch(/^[\w-]{20,}$/);
  });

  it('with a token, an action needs the bearer token as every other route does', async () => {
    const ran: (string | undefined)[] = [];
    const base = await start('s3cret', ran);
    const csrf = await csrfOf(base, { headers: { authorization: 'Bearer s3cret' } });
    const headers = { 'Content-Type': 'application/json', 'X-Berth-CSRF': csrf };
    const post = (extra: Record<string, string>) =>
      fetch(`${base}/api/v1/actions/sync`, {
        method: 'POST',
        headers: { ...headers, ...extra },
        body: '{}',
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect(ran).toEqual([]);
    expect((await post({ authorization: 'Bearer s3cret' })).status).toBe(200);
    expect(ran).toEqual([undefined]);
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const base = new URL(await start());
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: base.hostname, port: base.port, path: '/', headers: { Host: 'evil.example' } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('streams a snapshot, then resumes after Last-Event-ID', async () => {
    const base = await start();
    const first = await readEvents(`${base}/api/v1/stream`, {}, 1);
    expect(first[0]!.data).toMatchObject({ type: 'snapshot' });
    const id = first[0]!.id;
    const resumed = await readEvents(`${base}/api/v1/stream`, { 'Last-Event-ID': id }, 0);
    expect(resumed).toEqual([]); // nothing happened since: no snapshot, no replay
  });
});

/** Reads `count` SSE messages (or what arrives within 500 ms). */
async function readEvents(url: string, headers: Record<string, string>, count: number) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const reader = response.body!.getReader();
  const events: { id: string; data: unknown }[] = [];
  let text = '';
  const timer = setTimeout(() => controller.abort(), 500);
  try {
    while (events.length < count || count === 0) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      for (const block of text.split('\n\n').slice(0, -1)) {
        const id = /^id: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (id && data) events.push({ id, data: JSON.parse(data) });
      }
      text = text.slice(text.lastIndexOf('\n\n') + 2);
    }
  } catch {
    // aborted after the wait: what came is what there is
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}
