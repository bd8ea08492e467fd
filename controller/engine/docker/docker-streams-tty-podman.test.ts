import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { DockerStreams } from './docker-streams.js';
import { StampedLineJoiner } from './docker-streams-demux.js';
import { PodmanTtyMessageSplitter } from './docker-streams-tty-podman.js';

const S1 = '2026-11-30T21:56:53Z';
const S2 = '2026-11-30T21:56:54Z';

/**
 * What a TTY container's log looks like from Podman 4.3.1's compat API with timestamps=1
 * (read from a real service): pieces of a long line of 4,095 and 1,024 bytes, each with its
 * own whole-second stamp, a newline after the last only.
 */
function rawLog(long: string, tail: string): Buffer {
  const pieces = [long.slice(0, 4095), long.slice(4095, 8190), long.slice(8190)];
  return Buffer.concat([
    Buffer.from(`${S1} first\r\n`),
    Buffer.from(pieces.map((p) => `${S1} ${p}`).join('') + '\r\n'),
    Buffer.from(`${S1} ${tail.slice(0, 1024)}${S2} ${tail.slice(1024)}\r\n`),
    Buffer.from(`${S2} ${S1} INFO an app's own stamp, an earlier one ${S1} inside\r\n`),
    Buffer.from(`${S2} last`),
  ]);
}

function lines(chunks: Buffer[]): string[] {
  const out: string[] = [];
  const joiner = new StampedLineJoiner((time, text) => out.push(`${time}|${text}`));
  const splitter = new PodmanTtyMessageSplitter((m) => joiner.push(m));
  for (const c of chunks) splitter.push(c);
  splitter.end();
  joiner.end();
  return out;
}

describe('PodmanTtyMessageSplitter', () => {
  const long = 'abcdefghij'.repeat(1000);
  const tail = `${'x'.repeat(1023)}é-tail`;
  const raw = rawLog(long, tail);
  const T1 = '2026-11-30T21:56:53.000000000Z';
  const T2 = '2026-11-30T21:56:54.000000000Z';
  const expected = [
    `${T1}|first\r`,
    `${T1}|${long}\r`,
    `${T1}|${tail}\r`,
    `${T2}|${S1} INFO an app's own stamp, an earlier one ${S1} inside\r`,
    `${T2}|last`,
  ];

  it('joins the pieces of a long line without the stamps between them; stamps the program printed stay (issue 17)', () => {
    expect(lines([raw])).toEqual(expected);
  });

  it('gives the same lines whatever the chunks', () => {
    const bytes: Buffer[] = [];
    for (let i = 0; i < raw.length; i += 7) bytes.push(raw.subarray(i, i + 7));
    expect(lines(bytes)).toEqual(expected);
    expect(lines([...raw].map((b) => Buffer.from([b])))).toEqual(expected);
  });

  it('is what DockerStreams reads a TTY log with when the answer comes from Libpod', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-podman-tty-'));
    const socketPath = join(dir, 'engine.sock');
    const server = createServer((req, res) => {
      res.setHeader('Server', 'Libpod/4.3.1 (linux)');
      if (req.url?.includes('/logs')) return res.end(raw);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ Id: 'c1', Config: { Tty: true } }));
    });
    await new Promise<void>((listening) => server.listen(socketPath, listening));
    try {
      const streams = new DockerStreams(new Dockerode({ socketPath }), socketPath);
      const read: string[] = [];
      const subscription = await streams.streamLogs('c1', { follow: false }, (line) =>
        read.push(`${line.time}|${line.text}`),
      );
      await subscription.ended;
      expect(read).toEqual(expected.map((line) => line.replace(/\r$/, '')));
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
