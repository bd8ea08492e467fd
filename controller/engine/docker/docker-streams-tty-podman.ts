/**
 * A stamp as Podman's Docker-compatible log writes it (Go's RFC 3339: whole seconds, `Z` or
 * an offset), with the space after it.
 */
const PODMAN_STAMP = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /g;

/**
 * Cuts a TTY container's raw log stream from Podman, read with `timestamps=1`, back into
 * its messages (`STAMP payload`, as StampedLineJoiner takes them). Podman (conmon) stores a
 * line as pieces of whatever one read of the terminal returned (1,024, 2,048 and 4,095
 * bytes seen on 4.3.1), each with its own stamp, and writes a newline only after the last:
 * the next piece's stamp follows a piece's last byte, with no length to find it by
 * (Docker's pieces are 16 KiB: TtyMessageSplitter). So a line is read whole and cut before
 * each stamp inside it that {@link splitAtPodmanStamps} takes for one.
 */
export class PodmanTtyMessageSplitter {
  /** Bytes of the line being read. */
  private parts: Buffer[] = [];

  constructor(private readonly onMessage: (message: Buffer) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      this.parts.push(chunk.subarray(start, nl + 1));
      this.flushLine();
      start = nl + 1;
    }
    if (start < chunk.length) this.parts.push(chunk.subarray(start));
  }

  /** Hands on what is left (a last line without newline). */
  end(): void {
    if (this.parts.length) this.flushLine();
  }

  private flushLine(): void {
    const line = Buffer.concat(this.parts);
    this.parts = [];
    for (const message of splitAtPodmanStamps(line)) this.onMessage(message);
  }
}

/**
 * One raw line of a Podman TTY log (`STAMP piece…STAMP piece\n`) as its messages. A stamp
 * inside the line starts a message when a piece stands before it (a stamp the program
 * printed at the start of its line is text) and its time is not before the stamp before
 * it (conmon stamps in order). A program that prints such a stamp of the same second or
 * later in the middle of a line loses it from the text: Podman's stream cannot tell the two
 * apart. A line without a leading stamp is one message.
 */
export function splitAtPodmanStamps(line: Buffer): Buffer[] {
  // latin1: one character per byte, so string offsets are byte offsets.
  const text = line.toString('latin1');
  PODMAN_STAMP.lastIndex = 0;
  const lead = PODMAN_STAMP.exec(text);
  if (!lead || lead.index !== 0) return [line];
  const messages: Buffer[] = [];
  let start = 0;
  let pieceStart = PODMAN_STAMP.lastIndex;
  let time = Date.parse(lead[1]!);
  for (let m = PODMAN_STAMP.exec(text); m; m = PODMAN_STAMP.exec(text)) {
    const at = Date.parse(m[1]!);
    if (m.index === pieceStart || !(at >= time)) continue;
    messages.push(line.subarray(start, m.index));
    start = m.index;
    pieceStart = PODMAN_STAMP.lastIndex;
    time = at;
  }
  messages.push(line.subarray(start));
  return messages;
}
