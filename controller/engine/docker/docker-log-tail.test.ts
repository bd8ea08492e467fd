import { describe, expect, it } from 'vitest';
import { demultiplexed } from './docker-log-tail.js';

const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe('demultiplexed (a log tail, F560)', () => {
  it('joins stdout and stderr frames in the order sent, without their headers', () => {
    const body = Buffer.concat([frame(1, 'starting\n'), frame(2, 'boom\n'), frame(1, 'bye\n')]);
    expect(demultiplexed(body).toString('utf8')).toBe('starting\nboom\nbye\n');
    expect(demultiplexed(Buffer.alloc(0)).toString('utf8')).toBe('');
  });
});
