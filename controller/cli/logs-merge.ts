import type { LogLine } from '../engine/engine-streams.js';

/** Where merged lines go: stdout lines to one writer, stderr lines to the other. */
export interface LogSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface PrefixOptions {
  /** Every name that may print, so prefixes line up (padded to the longest). */
  names: string[];
  color: boolean;
  timestamps: boolean;
}

/** Compose's palette: distinct, readable on dark and light terminals. */
const COLORS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/**
 * Formats `name | text` lines. Prefixes are padded to the longest name and coloured only
 * on a terminal; the engine's timestamp is shown only with `--timestamps`.
 */
export class LinePrefixer {
  private width = 0;
  private readonly colorIndex = new Map<string, number>();
  private readonly prefixes = new Map<string, string>();

  constructor(private readonly options: PrefixOptions) {
    this.widen(options.names);
  }

  /**
   * Adds names that may print (a container created while following). Colours follow the
   * order names were first seen (sorted within one call), so they are stable for a run.
   */
  widen(names: string[]): void {
    for (const name of [...names].sort()) {
      if (!this.colorIndex.has(name)) this.colorIndex.set(name, this.colorIndex.size);
      if (name.length > this.width) {
        this.width = name.length;
        this.prefixes.clear();
      }
    }
  }

  format(name: string, line: LogLine): string {
    const stamp = this.options.timestamps && line.time ? `${line.time} ` : '';
    return `${this.prefixFor(name)}${stamp}${line.text}\n`;
  }

  /** A plain message under a name (`web | exited with code 1`), in the same column layout. */
  note(name: string, text: string): string {
    return `${this.prefixFor(name)}${text}\n`;
  }

  private prefixFor(name: string): string {
    let prefix = this.prefixes.get(name);
    if (prefix !== undefined) return prefix;
    if (!this.colorIndex.has(name)) this.widen([name]);
    const text = `${name.padEnd(this.width)} | `;
    const color = COLORS[(this.colorIndex.get(name) ?? 0) % COLORS.length];
    prefix = this.options.color ? `\u001b[${color}m${text}\u001b[0m` : text;
    this.prefixes.set(name, prefix);
    return prefix;
  }
}

/**
 * Holds lines per container and writes them interleaved by time. Each container's lines
 * keep their arrival order whatever their stamps (a k-way merge of per-container queues,
 * never a sort), so one container's lines are never reordered. Writes are batched: one
 * write per destination per flush.
 */
export class LogMerger {
  private readonly queues = new Map<string, LogLine[]>();

  constructor(
    private readonly prefixer: LinePrefixer,
    private readonly sink: LogSink,
  ) {}

  add(name: string, line: LogLine): void {
    let queue = this.queues.get(name);
    if (!queue) this.queues.set(name, (queue = []));
    queue.push(line);
  }

  get pending(): boolean {
    for (const queue of this.queues.values()) if (queue.length) return true;
    return false;
  }

  /** Writes everything held, oldest first across containers. */
  flush(): void {
    const entries = [...this.queues].filter(([, q]) => q.length > 0);
    const heads = entries.map(() => 0);
    let out = '';
    let err = '';
    for (;;) {
      let best = -1;
      let bestTime = '';
      for (let i = 0; i < entries.length; i++) {
        const line = entries[i]![1][heads[i]!];
        if (line && (best < 0 || line.time < bestTime)) {
          best = i;
          bestTime = line.time;
        }
      }
      if (best < 0) break;
      const [name, queue] = entries[best]!;
      const line = queue[heads[best]!]!;
      heads[best]! += 1;
      const text = this.prefixer.format(name, line);
      if (line.stream === 'stderr') err += text;
      else out += text;
    }
    for (const [, queue] of entries) queue.length = 0;
    if (out) this.sink.stdout(out);
    if (err) this.sink.stderr(err);
  }
}
