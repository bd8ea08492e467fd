/**
 * The engine's log copier cuts a line longer than this into pieces of exactly this many
 * bytes (moby daemon/logger/copier.go, bufSize); each piece is its own message.
 */
export const LOG_PIECE_BYTES = 16 * 1024;

/** Longest `STAMP ` prefix looked for (RFC 3339 with nanoseconds and an offset, and slack). */
const MAX_STAMP = 40;

/**
 * Cuts a TTY container's raw log stream, read with `timestamps=1`, back into the engine's
 * messages. That stream has no frames: it is `STAMP payload` after `STAMP payload`, where a
 * payload ends with its newline or, for a piece of a longer line, after exactly
 * {@link LOG_PIECE_BYTES} bytes with the next stamp right behind it (issue 19: `docker logs
 * -t` shows that stamp inside the line). Each message goes to `onMessage` as `STAMP payload`,
 * the same shape as a frame of the multiplexed format, so StampedLineJoiner joins the
 * pieces of a line. Bytes after a full piece that are not a stamp stay in the line: a log
 * driver that cuts elsewhere loses nothing, it only keeps its stamps in the text.
 */
export class TtyMessageSplitter {
  /** Bytes of the message being read (its stamp and payload so far). */
  private parts: Buffer[] = [];
  /** The stamp read so far; undefined once the payload is being read. */
  private stamp: string | undefined = '';
  /** Payload bytes of the current message, as the engine counted them (PieceBytes). */
  private payload = 0;
  private units = new PieceBytes();

  constructor(private readonly onMessage: (message: Buffer) => void) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      offset =
        this.stamp === undefined ? this.readPayload(chunk, offset) : this.readStamp(chunk, offset);
    }
  }

  /** Hands on what is left (a last line without newline). */
  end(): void {
    if (this.parts.length) this.flush();
  }

  private readStamp(chunk: Buffer, offset: number): number {
    const stamp = this.stamp ?? '';
    const end = Math.min(chunk.length, offset + MAX_STAMP - stamp.length);
    let stop = offset;
    while (stop < end && chunk[stop] !== 0x20 && chunk[stop] !== 0x0a) stop++;
    const found = stop < end ? chunk[stop] : undefined;
    if (found === 0x0a) {
      // A line without a stamp: pass it on as it is.
      this.parts.push(chunk.subarray(offset, stop + 1));
      this.flush();
      return stop + 1;
    }
    const piece = chunk.subarray(offset, found === undefined ? stop : stop + 1);
    this.parts.push(piece);
    const text = stamp + piece.toString('latin1');
    if (found === 0x20) {
      this.stamp = undefined;
      this.payload = isStampText(text.slice(0, -1)) ? 0 : text.length;
    } else if (text.length >= MAX_STAMP) {
      // No stamp here (a log driver that cut elsewhere): the bytes belong to the line.
      this.stamp = undefined;
      this.payload = text.length;
    } else this.stamp = text;
    return offset + piece.length;
  }

  private readPayload(chunk: Buffer, offset: number): number {
    for (let i = offset; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === 0x0a) {
        this.parts.push(chunk.subarray(offset, i + 1));
        this.flush();
        return i + 1;
      }
      this.payload += this.units.add(byte);
      // A full piece: the next message (a stamp) follows at once.
      if (this.payload >= LOG_PIECE_BYTES && this.units.whole()) {
        this.parts.push(chunk.subarray(offset, i + 1));
        this.flush();
        return i + 1;
      }
    }
    this.parts.push(chunk.subarray(offset));
    return chunk.length;
  }

  private flush(): void {
    this.onMessage(Buffer.concat(this.parts));
    this.parts = [];
    this.stamp = '';
    this.payload = 0;
    this.units = new PieceBytes();
  }
}

/**
 * Counts the bytes a piece had before the engine stored it. json-file stores a JSON
 * string, so a byte that is not valid UTF-8 (a character cut by the 16 KiB split) comes
 * back as U+FFFD, three bytes for one; those count as one. A piece only ends after a whole
 * character. A real U+FFFD in a long line is counted short: its pieces then keep their
 * stamps in the text, as `docker logs -t` shows them.
 */
class PieceBytes {
  private sequence: number[] = [];
  private expected = 0;

  /** Takes one byte; returns how many bytes of the original piece are now complete. */
  add(byte: number): number {
    if (this.expected > 0 && (byte & 0xc0) === 0x80) {
      this.sequence.push(byte);
      this.expected -= 1;
      if (this.expected > 0) return 0;
      const replacement =
        this.sequence.length === 3 &&
        this.sequence[0] === 0xef &&
        this.sequence[1] === 0xbf &&
        this.sequence[2] === 0xbd;
      const counted = replacement ? 1 : this.sequence.length;
      this.sequence = [];
      return counted;
    }
    // A lead byte, or a stray one (a broken sequence counts byte by byte).
    const broken = this.sequence.length;
    this.sequence = [];
    this.expected = 0;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (length === 1) return broken + 1;
    this.sequence = [byte];
    this.expected = length - 1;
    return broken;
  }

  /** True between characters. */
  whole(): boolean {
    return this.expected === 0;
  }
}

function isStampText(stamp: string): boolean {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(stamp);
}
