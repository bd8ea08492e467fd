import { padding, parseHeader, parsePax, type TarEntry } from './docker-streams-tar.js';

/**
 * Streaming tar reading: entries are handed to `onEntry` with their body as an async
 * sequence of chunks, so a large file is never held in memory whole.
 */

/** Exact-size reads over a stream of chunks. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private done = false;

  constructor(private readonly source: AsyncIterator<Buffer | string>) {}

  /** Exactly `n` bytes, or fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    while (this.length < n && (await this.fill()));
    const head = this.buffered[0];
    // Usual case: a header inside one received chunk, taken as a view without copying.
    const all = head && head.length >= n ? head : Buffer.concat(this.buffered, this.length);
    const taken = all.subarray(0, Math.min(n, all.length));
    const rest = all.subarray(taken.length);
    if (all === head) this.buffered[0] = rest;
    else this.buffered = [rest];
    if (!rest.length) this.buffered.shift();
    this.length -= taken.length;
    return taken;
  }

  /** `state.left` bytes in the pieces they arrived in; `state.left` says what is unread. */
  async *pieces(state: { left: number }): AsyncGenerator<Buffer> {
    while (state.left > 0) {
      if (this.length === 0 && !(await this.fill()))
        throw new Error('tar: archive ends inside a file');
      const head = this.buffered.shift()!;
      const take = Math.min(head.length, state.left);
      if (take < head.length) this.buffered.unshift(head.subarray(take));
      this.length -= take;
      state.left -= take;
      yield head.subarray(0, take);
    }
  }

  /** Drops `n` bytes. */
  async skip(n: number): Promise<void> {
    for (let left = n; left > 0;) {
      const dropped = await this.read(Math.min(left, 1 << 20));
      if (!dropped.length) throw new Error('tar: archive ends inside a file');
      left -= dropped.length;
    }
  }

  /**
   * Reads the source to its end, dropping what is left (the zero blocks after the end
   * marker, up to the record size). A source left unread is never closed: an HTTP answer
   * stays open and keeps the process alive (issue 19 item 4, `berth cp` never exiting).
   */
  async drain(): Promise<void> {
    this.buffered = [];
    this.length = 0;
    while (await this.fill()) {
      this.buffered = [];
      this.length = 0;
    }
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.source.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    this.buffered.push(chunk);
    this.length += chunk.length;
    return true;
  }
}

/**
 * Reads every entry of a tar stream, and the stream to its end. `onEntry` may read `body`
 * or not; what it leaves is skipped. PAX and GNU long-name records are applied to the entry they precede.
 */
export async function readTar(
  source: AsyncIterable<Buffer | string>,
  onEntry: (entry: TarEntry, body: AsyncIterable<Buffer>) => Promise<void>,
): Promise<void> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  let pending: { path?: string; linkpath?: string; size?: number } = {};
  for (;;) {
    const block = await reader.read(512);
    const header = block.length < 512 ? undefined : parseHeader(block);
    if (!header) return reader.drain();
    if (header.flag === 'x' || header.flag === 'g' || header.flag === 'L' || header.flag === 'K') {
      const body = await reader.read(header.size);
      await reader.read(padding(header.size).length);
      if (header.flag === 'x') pending = { ...pending, ...parsePax(body) };
      const nul = body.indexOf(0);
      const text = body.subarray(0, nul < 0 ? body.length : nul).toString('utf8');
      if (header.flag === 'L') pending.path = text;
      if (header.flag === 'K') pending.linkpath = text;
      continue;
    }
    const entry: TarEntry = {
      name: header.name,
      type: header.type,
      mode: header.mode,
      size: pending.size ?? header.size,
      mtime: header.mtime,
      linkName: header.linkName,
      uid: header.uid,
      gid: header.gid,
    };
    if (pending.path !== undefined) entry.name = pending.path;
    if (pending.linkpath !== undefined) entry.linkName = pending.linkpath;
    pending = {};
    const dataSize = entry.type === 'file' || header.type === 'other' ? entry.size : 0;
    const state = { left: dataSize };
    await onEntry(entry, reader.pieces(state));
    // Whatever onEntry did not read is skipped, then the block padding.
    await reader.skip(state.left);
    await reader.skip(padding(dataSize).length);
  }
}
