import { describe, expect, it } from 'vitest';
import { FrameDemuxer, normaliseTimestamp, timestampToSince } from './docker-streams-demux.js';
import { StampedLineJoiner } from './docker-streams-demux.js';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function demuxAll(chunks: Buffer[]): string[] {
  const out: string[] = [];
  const demuxer = new FrameDemuxer((stream, payload) =>
    out.push(`${stream}:${payload.toString()}`),
  );
  for (const c of chunks) demuxer.push(c);
  return out;
}

describe('FrameDemuxer', () => {
  const stream = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n'), frame(1, 'bye\n')]);

  it('splits frames by stream', () => {
    expect(demuxAll([stream])).toEqual(['stdout:hello\n', 'stderr:oops\n', 'stdout:bye\n']);
  });

  it('gives the same frames whatever the chunk boundaries', () => {
    for (let size = 1; size < stream.length; size++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      expect(demuxAll(chunks)).toEqual(['stdout:hello\n', 'stderr:oops\n', 'stdout:bye\n']);
    }
  });
});

describe('timestamps', () => {
  it('normalises to nine fraction digits so string order is time order', () => {
    expect(normaliseTimestamp('2024-05-01T10:00:00.1Z')).toBe('2024-05-01T10:00:00.100000000Z');
    expect(normaliseTimestamp('2024-05-01T10:00:00Z')).toBe('2024-05-01T10:00:00.000000000Z');
    expect(normaliseTimestamp('2024-05-01T10:00:00.123456789Z')).toBe(
      '2024-05-01T10:00:00.123456789Z',
    );
    expect(
      normaliseTimestamp('2024-05-01T10:00:00.9Z') > normaliseTimestamp('2024-05-01T10:00:00.10Z'),
    ).toBe(true);
  });

  it('turns a stamp into the engine since form', () => {
    expect(timestampToSince('2024-05-01T10:00:00.000000042Z')).toBe('1714557600.000000042');
  });
});

describe('StampedLineJoiner', () => {
  it('joins the pieces of a long line without their stamps, keeping the first time (issue 19 item 6)', () => {
    const lines: [string, string][] = [];
    const joiner = new StampedLineJoiner((time, text) => lines.push([time, text]));
    const euro = Buffer.from('€'); // three bytes, cut between two pieces below
    joiner.push(
      Buffer.concat([Buffer.from('2024-05-01T10:00:00.1Z {"a":"x'), euro.subarray(0, 1)]),
    );
    joiner.push(
      Buffer.concat([Buffer.from('2024-05-01T10:00:00.2Z '), euro.subarray(1), Buffer.from('y')]),
    );
    joiner.push(Buffer.from('2024-05-01T10:00:00.3Z z"}\n'));
    joiner.push(Buffer.from('2024-05-01T10:00:01Z next\n'));
    joiner.push(Buffer.from('2024-05-01T10:00:02Z unfinished'));
    joiner.end();
    expect(lines).toEqual([
      ['2024-05-01T10:00:00.100000000Z', '{"a":"x€yz"}'],
      ['2024-05-01T10:00:01.000000000Z', 'next'],
      ['2024-05-01T10:00:02.000000000Z', 'unfinished'],
    ]);
  });
});
