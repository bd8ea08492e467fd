import type { LogLine } from '../engine/engine-streams.js';
import { timestampToSince } from '../engine/docker/docker-streams-demux.js';

/**
 * Where one declared name's log has been read up to, so a follow can resume after the
 * stream ended (restart, recreate) without repeating or losing lines. The engine's `since`
 * is inclusive, so lines stamped exactly at the last seen time are counted and skipped.
 */
export class LogCursor {
  private time = '';
  private countAtTime = 0;
  private skipEqual = 0;
  private skipped = 0;

  /** The `since` to resume from, or undefined when nothing was seen yet. */
  get since(): string | undefined {
    return this.time ? timestampToSince(this.time) : undefined;
  }

  get seenAny(): boolean {
    return this.time !== '';
  }

  /**
   * Call before reading a stream. Re-reading the same container repeats the lines at the
   * last time; a new container (recreate) has none of them.
   */
  resume(sameContainer: boolean): void {
    this.skipEqual = sameContainer ? this.countAtTime : 0;
    this.skipped = 0;
  }

  /** True when the line is new; records it. */
  accept(line: LogLine): boolean {
    if (!line.time) return true;
    if (line.time < this.time) return false;
    if (line.time === this.time) {
      if (this.skipped < this.skipEqual) {
        this.skipped += 1;
        return false;
      }
      this.countAtTime += 1;
      return true;
    }
    this.time = line.time;
    this.countAtTime = 1;
    return true;
  }
}
