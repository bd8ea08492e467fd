import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthProcess } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { tempDir } from '../support/temp-dir.js';

// An engine that accepts the connection and never answers (a wedged daemon, a stuck ssh
// dial-stdio): every command used to hang for good, `apply --timeout` and the first SIGTERM
// included (FINDINGS F469). No real engine is touched: the address is a silent listener.
let server: Server;
let address: string;
const sockets = new Set<Socket>();
let connections = 0;

beforeAll(async () => {
  server = createServer((s) => {
    sockets.add(s);
    connections++;
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  address = `tcp://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

function folder(): string {
  const dir = tempDir('berth-silent-');
  writeFileSync(join(dir, 'app.yaml'), sleeperYaml('app'));
  return dir;
}

describe('an engine that never answers', () => {
  it('fails status with exit 4 naming the engine once BERTH_ENGINE_TIMEOUT passes', async () => {
    const began = Date.now();
    const r = await berthProcess(['--engine', address, 'status', '-p', 'silent'], {
      env: { BERTH_ENGINE_TIMEOUT: '2s' },
    });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain(address.replace('tcp://', ''));
    expect(r.stderr).toMatch(/no answer from the engine in 2s/);
    expect(Date.now() - began).toBeLessThan(15_000);
  });

  it('ends apply at its --timeout while reading the engine, having changed nothing', async () => {
    const began = Date.now();
    const r = await berthProcess(
      ['--engine', address, 'apply', '-f', folder(), '-p', 'silent', '--timeout', '3s'],
      { env: { BERTH_ENGINE_TIMEOUT: '60s' } },
    );
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /timed out after \d+\.\ds \(--timeout 3s\) while reading the engine's state, before the plan ran/,
    );
    expect(Date.now() - began).toBeLessThan(15_000);
  });

  it('ends apply at the first SIGTERM while it reads the engine (exit 143)', async () => {
    const before = connections;
    const bin = fileURLToPath(new URL('../../bin/berth.mjs', import.meta.url));
    const child = spawn(
      process.execPath,
      [bin, '--engine', address, 'apply', '-f', folder(), '-p', 'silent', '--timeout', '5m'],
      { env: { ...process.env, BERTH_ENGINE_TIMEOUT: '60s', BERTH_LOG_LEVEL: 'warn' } },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    // Once berth has connected, it is waiting for the answer that never comes.
    const deadline = Date.now() + 20_000;
    while (connections === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(connections).toBeGreaterThan(before);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, out).toBe(143);
    expect(Date.now() - signalled, out).toBeLessThan(10_000);
  });
});
