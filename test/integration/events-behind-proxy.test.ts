import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy.js';
import { tempDir } from '../support/temp-dir.js';

let proxy: CountingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/**
 * A process that subscribes to engine events and closes the subscription must end by itself.
 * The engine sends an event stream's headers at once; a proxy in front of it (the counting
 * proxy here forwards them with the first byte of the body, as the bench's does) may hold
 * them until the first event. Found by the bench: every stop-first `berth apply` through its
 * proxy converged, then hung until the run's 180 s timeout, waiting on an unanswered
 * `GET /events` for networks and volumes.
 */
describe('engine events behind a proxy that holds the headers', () => {
  it('closing a subscription ends its requests, so the process exits', async () => {
    const dir = tempDir('berth-events-proxy-');
    proxy = await startCountingProxy(join(dir, 'engine.sock'));
    const root = process.cwd();
    const url = (p: string) => pathToFileURL(join(root, p)).href;
    // A project no event will ever name: without an abort, its stream never answers.
    const script = `
      const { createDockerEngine } = await import(${JSON.stringify(url('controller/engine/docker/docker-engine.ts'))});
      const { resolveEngineAddress } = await import(${JSON.stringify(url('controller/engine/docker/engine-address.ts'))});
      const engine = await createDockerEngine(resolveEngineAddress('unix://${proxy.socketPath}', {}));
      const sub = engine.subscribeEvents({ project: 'events-proxy-${process.pid}-${Date.now()}' }, () => {});
      // Closed when the test has seen both requests reach the proxy (a line on stdin).
      await new Promise((r) => process.stdin.once('data', r));
      process.stdin.destroy();
      sub.close();
      await sub.ended;
      console.log('closed');
    `;
    const tsx = url('node_modules/tsx/dist/loader.mjs');
    const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    onTestFinished(() => void child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const events = () => proxy?.seen.filter((r) => /^GET (\/v[\d.]+)?\/events$/.test(r)) ?? [];
    const askedBy = Date.now() + 30_000;
    while (events().length < 2 && Date.now() < askedBy) await new Promise((r) => setTimeout(r, 50));
    expect(events(), `requests seen: ${proxy.seen.join(', ')}\n${out}`).toHaveLength(2);
    child.stdin.end('close\n');
    const exited = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => (child.kill('SIGKILL'), resolve(false)), 20_000);
      child.on('exit', () => (clearTimeout(timer), resolve(true)));
    });
    expect(out).toContain('closed');
    expect(exited, `the process did not end after closing its subscription:\n${out}`).toBe(true);
  });
});
