import { describe, expect, it } from 'vitest';
import { StampedLineJoiner } from './docker-streams-demux.js';
import { LOG_PIECE_BYTES, TtyMessageSplitter } from './docker-streams-tty.js';

const T1 = '2026-11-29T21:41:26.724514209Z';
const T2 = '2026-11-29T21:41:26.74807749Z';

/** What a TTY container's log looks like with timestamps=1 (checked against dockerd 20.10). */
function rawLog(long: string): Buffer {
  const first = long.slice(0, LOG_PIECE_BYTES);
  const rest = long.slice(LOG_PIECE_BYTES);
  return Buffer.from(
    `${T1} hello\r\n${T2} ${first}${T2} ${rest}\r\n${T1} one\rtwo\r\n${T2} 2026-01-01T00:00:00Z is text\r\n${T1} last`,
  );
}

function lines(chunks: Buffer[]): string[] {
  const out: string[] = [];
  const joiner = new StampedLineJoiner((time, text) => out.push(`${time}|${text}`));
  const splitter = new TtyMessageSplitter((m) => joiner.push(m));
  for (const c of chunks) splitter.push(c);
  splitter.end();
  joiner.end();
  return out;
}

describe('TtyMessageSplitter', () => {
  const long = 'abcdefghij'.repeat(2000);
  const raw = rawLog(long);
  const expected = [
    '2026-11-29T21:41:26.724514209Z|hello\r',
    `2026-11-29T21:41:26.748077490Z|${long}\r`,
    '2026-11-29T21:41:26.724514209Z|one\rtwo\r',
    '2026-11-29T21:41:26.748077490Z|2026-01-01T00:00:00Z is text\r',
    '2026-11-29T21:41:26.724514209Z|last',
  ];

  it('joins the pieces of a long line without the stamp between them, whatever the chunks', () => {
    for (const size of [1, 3, 29, 31, 1000, 16_384, 16_415, raw.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < raw.length; i += size) chunks.push(raw.subarray(i, i + size));
      expect(lines(chunks)).toEqual(expected);
    }
  });

  it('counts a U+FFFD the engine put for a cut character as the one byte it was', () => {
    const piece = `${'x'.repeat(LOG_PIECE_BYTES - 1)}\ufffd`;
    const raw = Buffer.from(`${T1} ${piece}${T1} \ufffd-tail\r\n${T2} next\r\n`);
    for (const size of [1, 2, 16_384, raw.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < raw.length; i += size) chunks.push(raw.subarray(i, i + size));
      expect(lines(chunks)).toEqual([
        `2026-11-29T21:41:26.724514209Z|${'x'.repeat(LOG_PIECE_BYTES - 1)}\ufffd\ufffd-tail\r`,
        '2026-11-29T21:41:26.748077490Z|next\r',
      ]);
    }
  });

  it('keeps text that only looks like it follows a full piece', () => {
    const piece = 'x'.repeat(LOG_PIECE_BYTES);
    const out = lines([Buffer.from(`${T1} ${piece}not a stamp at all, just more text\n`)]);
    expect(out).toEqual([
      `2026-11-29T21:41:26.724514209Z|${piece}not a stamp at all, just more text`,
    ]);
  });
});
