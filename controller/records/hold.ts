import type { ObjectKey } from '../../specs/model.js';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import { projectRecordDir } from './records.js';

/** A project held by `berth hold`: the controller applies no new source revision until release. */
export interface ProjectHold {
  /** Unix ms. */
  since: number;
  /** Who held it: `berth hold`, a rollback. */
  by: string;
  /**
   * The source revision a rollback held the project at (a git commit, or the folder's file
   * fingerprint): a different revision ends the hold (DESIGN.md "Updates and rollback").
   * Absent for `berth hold`, which only `release` ends.
   */
  revision?: string;
  /** The object whose failed update under watch made the hold (its reason in status says so). */
  failedUpdate?: ObjectKey;
}

const HOLD_FILE = 'hold.json';

/**
 * Holds the project (idempotent: an existing hold keeps its time, and a `berth hold` is not
 * weakened into one a new revision ends). A hold without `revision` over a rollback's hold
 * makes it one only release ends (the rollback's `by` kept). `revision`: see
 * {@link ProjectHold.revision}.
 */
export async function holdProject(
  stateDir: string,
  project: string,
  by: string,
  now: number,
  revision?: string,
  failedUpdate?: ObjectKey,
): Promise<ProjectHold> {
  const existing = await readHold(stateDir, project);
  if (existing && (existing.revision === undefined || revision !== undefined)) return existing;
  const hold: ProjectHold = existing
    ? { since: existing.since, by: `${existing.by}, then ${by}` }
    : {
        since: now,
        by,
        ...(revision !== undefined ? { revision } : {}),
        ...(failedUpdate ? { failedUpdate } : {}),
      };
  await writeFileAtomic(
    join(projectRecordDir(stateDir, project), HOLD_FILE),
    JSON.stringify(hold) + '\n',
  );
  return hold;
}

/** Releases the project; false when it was not held. */
export async function releaseProject(stateDir: string, project: string): Promise<boolean> {
  const held = await readHold(stateDir, project);
  await rm(join(projectRecordDir(stateDir, project), HOLD_FILE), { force: true });
  return held !== undefined;
}

/** The project's hold, or undefined; an unreadable file counts as no hold. */
export async function readHold(
  stateDir: string,
  project: string,
): Promise<ProjectHold | undefined> {
  const read = await readJsonFile(join(projectRecordDir(stateDir, project), HOLD_FILE));
  if (!read.ok) return undefined;
  const value = read.value as Partial<ProjectHold>;
  if (typeof value.since !== 'number') return undefined;
  const revision = typeof value.revision === 'string' ? { revision: value.revision } : {};
  const failed =
    typeof value.failedUpdate === 'string' ? { failedUpdate: value.failedUpdate as ObjectKey } : {};
  return { since: value.since, by: String(value.by ?? 'berth hold'), ...revision, ...failed };
}
