import type { LogLine } from '../engine/engine-streams.js';
import { timestampToSince } from '../engine/docker/docker-streams-demux.js';

/** How far one container's log has been read: its last stamp and how many lines bore it. */
interface Position {
  time: string;
  countAtTime: number;
}

/**
 * Where one declared name's log has been read up to, per container, so a follow can resume
 * after the stream ended (restart, recreate, update) without repeating or losing lines. The
 * engine's `since` is inclusive, so lines stamped exactly at the last seen time are counted
 * and skipped. Each container has its own position: a replacement is read from its start,
 * although a start-first update's `-next` ran beside the old one and its first lines are older
 * than the old one's last (F133: they were skipped as already seen); a container followed again
 * (a failed update's old one, started again) resumes where it was.
 */
export class LogCursor {
  private readonly positions = new Map<string, Position>();
  private current: Position = { time: '', countAtTime: 0 };
  private skipEqual = 0;
  private skipped = 0;

  /** The `since` to resume the current container from, or undefined when none of it was seen. */
  get since(): string | undefined {
    return this.current.time ? timestampToSince(this.current.time) : undefined;
  }

  get seenAny(): boolean {
    return this.current.time !== '';
  }

  /**
   * Call before reading a stream of `containerId` (the backlog's included). Returns whether
   * this container was read before: its lines at the last stamp will be repeated and are
   * skipped; a container not read before starts from nothing seen.
   */
  resume(containerId: string): boolean {
    const seen = this.positions.get(containerId);
    this.current = seen ?? { time: '', countAtTime: 0 };
    this.positions.set(containerId, this.current);
    this.skipEqual = seen ? seen.countAtTime : 0;
    this.skipped = 0;
    return seen !== undefined;
  }

  /** True when the line is new for the current container; records it. */
  accept(line: LogLine): boolean {
    if (!line.time) return true;
    const at = this.current;
    if (line.time < at.time) return false;
    if (line.time === at.time) {
      if (this.skipped < this.skipEqual) {
        this.skipped += 1;
        return false;
      }
      at.countAtTime += 1;
      return true;
    }
    at.time = line.time;
    at.countAtTime = 1;
    return true;
  }
}
