import { StringDecoder } from 'node:string_decoder';
import type { OutputStream } from '../engine-streams.js';

/**
 * Docker's multiplexed stream format (containers and execs without a TTY): frames of an
 * 8-byte header — stream type (1 stdout, 2 stderr), three zero bytes, payload length as a
 * big-endian uint32 — then the payload. `logs -f` on many busy containers runs through
 * here, so payloads are handed on as views into the received chunk; bytes are copied
 * only when a header or payload is cut across chunks.
 */
export class FrameDemuxer {
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private remaining = 0;
  private stream: OutputStream = 'stdout';
  /** Pieces of a payload cut across chunks (rare: the engine writes whole frames). */
  private parts: Buffer[] = [];

  constructor(private readonly onFrame: (stream: OutputStream, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0 && this.parts.length === 0) {
        offset = this.readHeader(chunk, offset);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      const piece = chunk.subarray(offset, offset + take);
      offset += take;
      this.remaining -= take;
      if (this.remaining > 0) {
        this.parts.push(piece);
      } else if (this.parts.length === 0) {
        this.onFrame(this.stream, piece);
      } else {
        this.parts.push(piece);
        const payload = Buffer.concat(this.parts);
        this.parts = [];
        this.onFrame(this.stream, payload);
      }
    }
  }

  private readHeader(chunk: Buffer, offset: number): number {
    const take = Math.min(8 - this.headerFill, chunk.length - offset);
    chunk.copy(this.header, this.headerFill, offset, offset + take);
    this.headerFill += take;
    if (this.headerFill === 8) {
      this.headerFill = 0;
      // Type 0 is stdin echoed back; show it with stdout as the Docker CLI does.
      this.stream = this.header[0] === 2 ? 'stderr' : 'stdout';
      this.remaining = this.header.readUInt32BE(4);
    }
    return offset + take;
  }
}

/**
 * The lines of one output stream of a multiplexed log read with timestamps. Each frame is
 * one engine message, `STAMP text`; a line longer than 16 KiB arrives as several messages,
 * each with its own stamp and only the last ending in a newline (moby's partial messages,
 * issue 19 item 6). A line keeps its first piece's time and none of the later stamps;
 * a character cut between pieces stays whole.
 */
export class StampedLineJoiner {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  private time = '';
  private inLine = false;

  constructor(private readonly onLine: (time: string, text: string) => void) {}

  push(frame: Buffer): void {
    const space = frame.indexOf(0x20);
    const stamp = space > 0 ? frame.toString('latin1', 0, space) : '';
    const stamped = isStamp(stamp);
    if (stamped && !this.inLine) this.time = normaliseTimestamp(stamp);
    const body = stamped ? frame.subarray(space + 1) : frame;
    const text = this.carry + this.decoder.write(body);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.onLine(this.time, text.slice(start, nl));
      start = nl + 1;
    }
    this.carry = text.slice(start);
    this.inLine = body.length > 0 && body[body.length - 1] !== 0x0a;
  }

  end(): void {
    const rest = this.carry + this.decoder.end();
    this.carry = '';
    this.inLine = false;
    if (rest) this.onLine(this.time, rest);
  }
}

function isStamp(stamp: string): boolean {
  return stamp.length >= 20 && stamp.charCodeAt(4) === 45 /* - */ && stamp[10] === 'T';
}

/**
 * Puts an RFC 3339 timestamp from the engine (`2024-05-01T10:00:00.1234Z`, trailing zeros
 * trimmed) into a fixed 9-digit fraction, so string order is time order.
 */
export function normaliseTimestamp(stamp: string): string {
  const dot = stamp.indexOf('.');
  const end = stamp.endsWith('Z') ? stamp.length - 1 : stamp.length;
  if (dot < 0) return `${stamp.slice(0, end)}.000000000Z`;
  const fraction = stamp.slice(dot + 1, end);
  if (fraction.length === 9) return end === stamp.length ? `${stamp}Z` : stamp;
  return `${stamp.slice(0, dot)}.${fraction.padEnd(9, '0').slice(0, 9)}Z`;
}

/** A normalised timestamp as the `since` the engine accepts: Unix seconds with nanoseconds. */
export function timestampToSince(time: string): string {
  const seconds = Math.floor(Date.parse(time.slice(0, 19) + 'Z') / 1000);
  return `${seconds}.${time.slice(20, 29)}`;
}
