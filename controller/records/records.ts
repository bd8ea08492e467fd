import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import { objectKey } from '../../specs/model.js';
import { BerthError } from '../errors.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import { gitCommitOf } from './git-commit.js';
import { oneAtATime } from './one-at-a-time.js';
import type {
  ApplyRecordInput,
  HistoryEntry,
  LastApplied,
  RecordProblem,
  RecordRead,
} from './record-types.js';
import { addToHistory } from './history-fold.js';

/** Applies kept per project; older ones are dropped. */
export const HISTORY_LIMIT = 50;

const FORMAT_VERSION = 1;
const LAST_APPLIED_FILE = 'last-applied.json';
const HISTORY_FILE = 'history.json';

export function projectRecordDir(stateDir: string, project: string): string {
  return join(stateDir, project);
}

/**
 * Records one apply: prepends it to the history (newest first, capped at HISTORY_LIMIT) —
 * or, for a `repeatable` apply that repeats the newest entry with nothing to do, counts it on
 * that entry (history-fold.ts) — and, unless the outcome is 'invalid', stores `objects` as
 * the last applied set. Both files are written atomically. A corrupt existing history is
 * replaced rather than blocking the record. Resolves with the entry that stands for this
 * apply; rejects with BerthError E_RECORD when the files cannot be written.
 */
export async function recordApply(
  stateDir: string,
  project: string,
  input: ApplyRecordInput,
): Promise<HistoryEntry> {
  const { objects, commit, repeatable = false, ...rest } = input;
  const found =
    commit === undefined && rest.sources[0] ? await gitCommitOf(rest.sources[0]) : undefined;
  const entry: HistoryEntry = {
    id: applyId(rest.time),
    ...rest,
    ...(commit || found ? { commit: commit || found } : {}),
    ...(objects && input.outcome !== 'invalid' ? { objects } : {}),
  };
  if (input.outcome === 'invalid') delete entry.images;
  const dir = projectRecordDir(stateDir, project);
  const write = { objects, outcome: input.outcome, repeatable };
  return oneAtATime(dir, () => writeApply(stateDir, project, entry, write));
}

/** The read-modify-write of recordApply; callers hold the project's turn (oneAtATime). */
async function writeApply(
  stateDir: string,
  project: string,
  entry: HistoryEntry,
  write: Pick<ApplyRecordInput, 'objects' | 'outcome'> & { repeatable: boolean },
): Promise<HistoryEntry> {
  const { objects, outcome, repeatable } = write;
  const dir = projectRecordDir(stateDir, project);
  try {
    const previous = await readHistory(stateDir, project);
    const earlier = previous.ok ? previous.value : [];
    // An apply settled after a newer one (watch records each once the queue is idle) is
    // history, but the last applied set stays the newer one's.
    const newest = earlier.every((e) => e.time <= entry.time);
    if (objects && outcome !== 'invalid' && newest) {
      const last: LastApplied = { project, time: entry.time, sources: entry.sources, objects };
      await writeFileAtomic(join(dir, LAST_APPLIED_FILE), serialise({ lastApplied: last }));
    }
    // Compared with entries read back from the file: as the file will hold it.
    const stored = JSON.parse(JSON.stringify(entry)) as HistoryEntry;
    const limit = HISTORY_LIMIT;
    const { entries, recorded } = addToHistory(earlier, stored, { limit, repeatable });
    await writeFileAtomic(join(dir, HISTORY_FILE), serialise({ project, entries }));
    return recorded;
  } catch (e) {
    throw new BerthError(
      'E_RECORD',
      `cannot write the records of project ${project} in ${dir}: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
}

/** The last applied set of the project, or a RecordProblem (missing/corrupt) — never throws. */
export async function readLastApplied(
  stateDir: string,
  project: string,
): Promise<RecordRead<LastApplied>> {
  const path = join(projectRecordDir(stateDir, project), LAST_APPLIED_FILE);
  const read = await readJsonFile(path);
  if (!read.ok) return problem(path, read.reason, read.message);
  const doc = read.value as { version?: unknown; lastApplied?: Partial<LastApplied> };
  const last = doc?.lastApplied;
  if (
    doc?.version !== FORMAT_VERSION ||
    !last ||
    !Array.isArray(last.objects) ||
    typeof last.time !== 'number'
  ) {
    return problem(path, 'corrupt', 'not a berth last-applied record');
  }
  return {
    ok: true,
    path,
    value: { project, time: last.time, sources: last.sources ?? [], objects: last.objects },
  };
}

/** The project's applies, newest first; a missing history is an empty one. Never throws. */
export async function readHistory(
  stateDir: string,
  project: string,
): Promise<RecordRead<HistoryEntry[]>> {
  const path = join(projectRecordDir(stateDir, project), HISTORY_FILE);
  const read = await readJsonFile(path);
  if (!read.ok)
    return read.reason === 'missing'
      ? { ok: true, path, value: [] }
      : problem(path, read.reason, read.message);
  const doc = read.value as { version?: unknown; entries?: unknown };
  if (
    doc?.version !== FORMAT_VERSION ||
    !Array.isArray(doc.entries) ||
    !doc.entries.every(isEntry)
  ) {
    return problem(path, 'corrupt', 'not a berth history record');
  }
  return { ok: true, path, value: [...doc.entries].sort((a, b) => b.time - a.time) };
}

/** Projects that have any record under stateDir, sorted. A missing stateDir means none. */
export async function listRecordedProjects(stateDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(stateDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
  const recorded: string[] = [];
  for (const name of names) {
    const files = await readdir(join(stateDir, name)).catch(() => [] as string[]);
    if (files.includes(LAST_APPLIED_FILE) || files.includes(HISTORY_FILE)) recorded.push(name);
  }
  return recorded.sort();
}

/**
 * Drops objects from the last applied set (after `delete`), so status no longer expects them.
 * Returns how many were dropped; a missing record drops nothing. Rejects with E_RECORD when the
 * record is corrupt or cannot be written.
 */
export function forgetObjects(
  stateDir: string,
  project: string,
  keys: ObjectKey[],
): Promise<number> {
  const dir = projectRecordDir(stateDir, project);
  return oneAtATime(dir, () => dropObjects(stateDir, project, keys));
}

/** The read-modify-write of forgetObjects; callers hold the project's turn (oneAtATime). */
async function dropObjects(stateDir: string, project: string, keys: ObjectKey[]): Promise<number> {
  const last = await readLastApplied(stateDir, project);
  if (!last.ok) {
    if (last.problem.reason === 'missing') return 0;
    throw new BerthError('E_RECORD', `${last.problem.path}: ${last.problem.message}`, {
      file: last.problem.path,
    });
  }
  const drop = new Set<string>(keys);
  const kept: DesiredObject[] = last.value.objects.filter((o) => !drop.has(objectKey(o)));
  const removed = last.value.objects.length - kept.length;
  if (removed > 0) {
    const value: LastApplied = { ...last.value, objects: kept };
    try {
      await writeFileAtomic(last.path, serialise({ lastApplied: value }));
    } catch (e) {
      throw new BerthError('E_RECORD', `cannot write ${last.path}: ${(e as Error).message}`, {
        file: last.path,
        cause: e,
      });
    }
  }
  return removed;
}

function serialise(body: object): string {
  return JSON.stringify({ version: FORMAT_VERSION, ...body }, null, 2) + '\n';
}

function problem<T>(path: string, reason: RecordProblem['reason'], message: string): RecordRead<T> {
  return { ok: false, problem: { code: 'E_RECORD', reason, path, message } };
}

function isEntry(e: unknown): e is HistoryEntry {
  const entry = e as Partial<HistoryEntry> | null;
  return (
    typeof entry?.time === 'number' &&
    Array.isArray(entry.sources) &&
    typeof entry.outcome === 'string' &&
    typeof entry.durationMs === 'number' &&
    typeof entry.counts === 'object'
  );
}

/** An apply's id: its time in base 36 (sortable, short enough to type), e.g. `mi5k2x9a`. */
export function applyId(time: number): string {
  return time.toString(36);
}
