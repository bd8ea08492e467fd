import { join } from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../logger.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import { projectRecordDir } from './records.js';

/**
 * berth's own starts of the project's containers: engine id → Unix ms at which berth's start
 * call for it returned (the engine's `StartedAt` of that run lies at or before it). Status
 * reads it to tell a start berth made from one the engine's restart policy made (a crash
 * loop), container by container, instead of guessing from the time of an apply.
 */
export type StartRecords = Record<string, number>;

const STARTS_FILE = 'starts.json';

/**
 * How long a start stays on record. Status only asks about starts less than a crash-loop
 * window (10 s) old; the margin covers a clock that moved and a slow status.
 */
export const START_RECORD_KEEP_MS = 600_000;

/** The project's start records; a missing or unreadable file is no records. Never throws. */
export async function readStarts(stateDir: string, project: string): Promise<StartRecords> {
  const read = await readJsonFile(join(projectRecordDir(stateDir, project), STARTS_FILE));
  if (!read.ok || typeof read.value !== 'object' || read.value === null) return {};
  const out: StartRecords = {};
  for (const [id, at] of Object.entries(read.value as Record<string, unknown>))
    if (typeof at === 'number' && Number.isFinite(at)) out[id] = at;
  return out;
}

/**
 * `earlier` with `fresh` laid over it (the later time of an id wins), without the entries
 * older than {@link START_RECORD_KEEP_MS} before `now`. Pure.
 */
export function mergeStarts(earlier: StartRecords, fresh: StartRecords, now: number): StartRecords {
  const merged: StartRecords = {};
  for (const [id, at] of [...Object.entries(earlier), ...Object.entries(fresh)])
    if (now - at <= START_RECORD_KEEP_MS) merged[id] = Math.max(merged[id] ?? at, at);
  return merged;
}

/**
 * The starts one berth process makes, written through to the project's records: every write
 * merges with what the file holds (another process of the project may have written since),
 * writes run one at a time, and a failed write is logged (status then inspects the container,
 * which costs a call but never hides a restart).
 */
export class StartLog {
  private fresh: StartRecords = {};
  private writing: Promise<void> = Promise.resolve();
  private queued = false;

  constructor(
    private readonly target: { stateDir: string; project: string },
    private readonly now: () => number,
    private readonly logger?: Logger,
  ) {}

  /** Notes that berth's start of container `id` returned now. */
  note(id: string): void {
    this.fresh[id] = this.now();
    // One write waiting is enough: it takes every start noted until it begins.
    if (this.queued) return;
    this.queued = true;
    this.writing = this.writing.then(() => {
      this.queued = false;
      return this.write();
    });
  }

  /** Resolves once every write begun so far has ended. */
  settled(): Promise<void> {
    return this.writing;
  }

  /** `engine`, with every start that succeeds through it noted here. */
  noting(engine: Engine): Engine {
    return new Proxy(engine, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property);
        if (typeof value !== 'function') return value;
        const method = (value as (...args: unknown[]) => unknown).bind(target);
        if (property !== 'startContainer') return method;
        return async (id: string) => {
          const result = await (method as Engine['startContainer'])(id);
          this.note(id);
          return result;
        };
      },
    });
  }

  private async write(): Promise<void> {
    const { stateDir, project } = this.target;
    const time = this.now();
    this.fresh = mergeStarts({}, this.fresh, time);
    const merged = mergeStarts(await readStarts(stateDir, project), this.fresh, time);
    await writeStarts(stateDir, project, merged).catch((e: Error) =>
      this.logger?.warn({ err: e.message }, 'could not record container starts'),
    );
  }
}

async function writeStarts(stateDir: string, project: string, records: StartRecords) {
  const sorted = Object.fromEntries(Object.entries(records).sort(([a], [b]) => a.localeCompare(b)));
  await writeFileAtomic(
    join(projectRecordDir(stateDir, project), STARTS_FILE),
    JSON.stringify(sorted, null, 2) + '\n',
  );
}
