import { describe, expect, it } from 'vitest';
import type { LogLine } from '../engine/engine-streams.js';
import { LinePrefixer, LogMerger } from './logs-merge.js';
import { LogCursor } from './logs-cursor.js';

const at = (s: number, text: string, stream: LogLine['stream'] = 'stdout'): LogLine => ({
  stream,
  time: `2024-05-01T10:00:${String(s).padStart(2, '0')}.000000000Z`,
  text,
});

function merged(color = false) {
  const out: string[] = [];
  const err: string[] = [];
  const prefixer = new LinePrefixer({ names: ['db', 'frontend'], color, timestamps: false });
  const merger = new LogMerger(prefixer, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  });
  return { merger, out, err };
}

describe('LogMerger', () => {
  it('interleaves by time with prefixes padded to the longest name, stderr apart', () => {
    const { merger, out, err } = merged();
    merger.add('db', at(1, 'd1'));
    merger.add('db', at(3, 'd3', 'stderr'));
    merger.add('frontend', at(2, 'f2'));
    merger.add('frontend', at(4, 'f4'));
    merger.flush();
    expect(out).toEqual(['db       | d1\nfrontend | f2\nfrontend | f4\n']);
    expect(err).toEqual(['db       | d3\n']);
  });

  it("never reorders one container's lines, whatever their stamps", () => {
    const { merger, out } = merged();
    merger.add('db', at(5, 'first'));
    merger.add('db', at(1, 'second'));
    merger.add('frontend', at(3, 'f'));
    merger.flush();
    expect(out.join('')).toBe('frontend | f\ndb       | first\ndb       | second\n');
  });

  it('colours prefixes only when asked', () => {
    const { merger, out } = merged(true);
    merger.add('db', at(1, 'x'));
    merger.flush();
    const esc = String.fromCharCode(27);
    expect(out[0]).toBe(`${esc}[36mdb       | ${esc}[0mx\n`);
  });
});

describe('LogCursor', () => {
  it('skips what a resumed stream repeats at the last stamp, keeps what is new', () => {
    const cursor = new LogCursor();
    expect(cursor.resume('a')).toBe(false);
    expect([at(1, 'a'), at(2, 'b'), at(2, 'c')].map((l) => cursor.accept(l))).toEqual([
      true,
      true,
      true,
    ]);
    expect(cursor.since).toBe(String(Date.parse('2024-05-01T10:00:02Z') / 1000) + '.000000000');
    expect(cursor.resume('a')).toBe(true);
    expect([at(2, 'b'), at(2, 'c'), at(2, 'd'), at(3, 'e')].map((l) => cursor.accept(l))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    cursor.resume('b');
    expect(cursor.accept(at(3, 'new container'))).toBe(true);
  });

  it("reads a replacement from its start, though it began before the old one's last line (F133)", () => {
    const cursor = new LogCursor();
    cursor.resume('old');
    expect([at(1, 'v1 1'), at(8, 'v1 8')].map((l) => cursor.accept(l))).toEqual([true, true]);
    // start-first: the new container printed as `-next` from second 5 on, beside the old one.
    expect(cursor.resume('new')).toBe(false);
    expect(cursor.since).toBeUndefined();
    expect([at(5, 'v2 1'), at(9, 'v2 5')].map((l) => cursor.accept(l))).toEqual([true, true]);
    // The update failed after all: the old one serves again, resumed where it was left.
    expect(cursor.resume('old')).toBe(true);
    expect(cursor.since).toBe(String(Date.parse('2024-05-01T10:00:08Z') / 1000) + '.000000000');
    expect([at(8, 'v1 8'), at(10, 'v1 9')].map((l) => cursor.accept(l))).toEqual([false, true]);
  });
});
