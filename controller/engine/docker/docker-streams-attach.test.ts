import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachDockerContainer } from './docker-streams-attach.js';

/**
 * A fake engine that answers as Podman 4.3 does (issue 17): an attach hands every byte the
 * client sent after its headers — a request body too — to the container's stdin (here:
 * echoed back as TTY output), and a `removed` wait answers `StatusCode: 0` whatever the
 * exit code was; `next-exit` answers the real one (3).
 */
function podmanLikeEngine(
  socketPath: string,
  neverExit = false,
): { server: Server; attachUrls: string[]; exitWaitsClosed: () => number } {
  const attachUrls: string[] = [];
  let closed = 0;
  const pendingExits: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    if (req.url?.includes('condition=removed')) {
      setTimeout(() => res.end('{"StatusCode":0,"Error":null}'), 50);
    } else {
      res.on('close', () => (closed += 1));
      if (!neverExit) pendingExits.push(res);
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    attachUrls.push(req.url ?? '');
    socket.write('HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    const stdin: Buffer[] = [head];
    socket.on('data', (chunk: Buffer) => stdin.push(chunk));
    socket.on('end', () => {
      socket.end(Buffer.concat(stdin));
      for (const res of pendingExits) res.end('{"StatusCode":3,"Error":null}');
    });
  });
  server.listen(socketPath);
  return { server, attachUrls, exitWaitsClosed: () => closed };
}

describe('attachDockerContainer', () => {
  let dir = '';
  let server: Server | undefined;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'berth-attach-'))));
  afterEach(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Attaches to `c1` of a Podman-like engine, writes `hello`, ends stdin. */
  async function attachAndWrite(autoRemoved: boolean, neverExit = false) {
    const socketPath = join(dir, 'engine.sock');
    const engine = podmanLikeEngine(socketPath, neverExit);
    server = engine.server;
    const container = new Dockerode({ socketPath }).getContainer('c1');
    const session = await attachDockerContainer(container, { stdin: true, tty: true, autoRemoved });
    let output = '';
    session.onOutput((_stream, chunk) => (output += chunk.toString('utf8')));
    session.write('hello\n');
    session.endInput();
    const exitCode = await session.exitCode;
    return { exitCode, output, attachUrls: engine.attachUrls, closed: engine.exitWaitsClosed };
  }

  it('sends the attach options in the query and no body, so stdin holds only what was written (Podman, issue 17)', async () => {
    const { exitCode, output, attachUrls } = await attachAndWrite(false);
    expect(output).toBe('hello\n');
    expect(attachUrls).toEqual([
      '/containers/c1/attach?stream=true&stdin=true&stdout=true&stderr=true',
    ]);
    expect(exitCode).toBe(3);
  });

  it('an auto-removed container’s code is next-exit’s, not the `removed` wait’s 0 (Podman 4.3, issue 17)', async () => {
    const { exitCode, output } = await attachAndWrite(true);
    expect(exitCode).toBe(3);
    expect(output).toBe('hello\n');
  });

  it('an auto-removed container whose next-exit never answers (removed by force while stopping, Podman) ends with the removal, and the wait is dropped', async () => {
    const { exitCode, closed } = await attachAndWrite(true, true);
    expect(exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(closed()).toBe(1);
  });
});
