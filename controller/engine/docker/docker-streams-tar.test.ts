import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readTar } from './docker-streams-tar-read.js';
import {
  endOfArchive,
  entryHeader,
  padding,
  parseHeader,
  type TarEntry,
} from './docker-streams-tar.js';

const base = { mode: 0o640, mtime: 1_700_000_000, uid: 1000, gid: 1000, linkName: '' };

function archive(entries: { entry: TarEntry; body?: string }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { entry, body } of entries) {
    parts.push(entryHeader(entry));
    if (body !== undefined) parts.push(Buffer.from(body), padding(Buffer.byteLength(body)));
  }
  parts.push(endOfArchive());
  return Buffer.concat(parts);
}

async function read(bytes: Buffer, chunk = 100): Promise<{ entry: TarEntry; body: string }[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const out: { entry: TarEntry; body: string }[] = [];
  await readTar(Readable.from(chunks), async (entry, body) => {
    let text = '';
    for await (const piece of body) text += piece.toString();
    out.push({ entry, body: text });
  });
  return out;
}

describe('ustar', () => {
  it('round-trips files, folders, links, modes and times', async () => {
    const entries = [
      { entry: { ...base, name: 'app', type: 'directory' as const, size: 0, mode: 0o750 } },
      {
        entry: { ...base, name: 'app/run.sh', type: 'file' as const, size: 3, mode: 0o4755 },
        body: 'abc',
      },
      {
        entry: {
          ...base,
          name: 'app/link',
          type: 'symlink' as const,
          size: 0,
          linkName: 'run.sh',
          mode: 0o777,
        },
      },
    ];
    const got = await read(archive(entries), 7);
    expect(
      got.map((g) => [
        g.entry.name,
        g.entry.type,
        g.entry.mode.toString(8),
        g.entry.mtime,
        g.body,
        g.entry.linkName,
      ]),
    ).toEqual([
      ['app/', 'directory', '750', 1_700_000_000, '', ''],
      ['app/run.sh', 'file', '4755', 1_700_000_000, 'abc', ''],
      ['app/link', 'symlink', '777', 1_700_000_000, '', 'run.sh'],
    ]);
  });

  it('writes a valid checksum', () => {
    const block = entryHeader({ ...base, name: 'f', type: 'file', size: 0 });
    const stored = parseInt(block.subarray(148, 154).toString('ascii'), 8);
    const copy = Buffer.from(block);
    copy.fill(0x20, 148, 156);
    expect(stored).toBe(copy.reduce((sum, b) => sum + b, 0));
    expect(parseHeader(block)?.name).toBe('f');
  });

  it('keeps long names through the ustar prefix and PAX records', async () => {
    const medium = `${'d'.repeat(120)}/${'f'.repeat(90)}`;
    const long = `${'x'.repeat(300)}/file`;
    const got = await read(
      archive([
        { entry: { ...base, name: medium, type: 'file', size: 1 }, body: 'm' },
        { entry: { ...base, name: long, type: 'file', size: 1 }, body: 'l' },
      ]),
    );
    expect(got.map((g) => [g.entry.name, g.body])).toEqual([
      [medium, 'm'],
      [long, 'l'],
    ]);
  });

  it('skips bodies the reader does not consume', async () => {
    const names: string[] = [];
    const bytes = archive([
      { entry: { ...base, name: 'big', type: 'file', size: 2000 }, body: 'z'.repeat(2000) },
      { entry: { ...base, name: 'next', type: 'file', size: 1 }, body: 'n' },
    ]);
    await readTar(Readable.from([bytes]), async (entry) => void names.push(entry.name));
    expect(names).toEqual(['big', 'next']);
  });
});

describe('readTar and the end of its source', () => {
  it('reads the source to its end after the end marker, so an HTTP answer closes (issue 19 item 4)', async () => {
    const bytes = archive([{ entry: { ...base, name: 'f', type: 'file', size: 3 }, body: 'abc' }]);
    let finished = false;
    async function* source() {
      yield bytes.subarray(0, 1024);
      yield bytes.subarray(1024);
      // The record padding an engine sends after the end marker, in a chunk of its own.
      yield Buffer.alloc(8192);
      finished = true;
    }
    const names: string[] = [];
    await readTar(source(), async (entry) => void names.push(entry.name));
    expect(names).toEqual(['f']);
    expect(finished).toBe(true);
  });
});
