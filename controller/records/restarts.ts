import { join } from 'node:path';
import type { ObservedState } from '../engine/engine.js';
import { LABEL } from '../labels.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import { projectRecordDir } from './records.js';
import { ownedKey } from '../container-names.js';

/**
 * berth's own restarts of one declared container (DESIGN.md second wave: "restarts" is
 * berth's restarts plus the engine's RestartCount). The engine does not count a start berth
 * makes, so the controller keeps the count here, beside the project's other records, where
 * `get`, `status` and `describe` in another process read it.
 */
export interface RestartRecord {
  /** Restarts berth made of the containers in `containerIds`. */
  restarts: number;
  /** Unix ms of the last one. */
  lastAt: number;
  /**
   * Engine ids of the object's containers when they were restarted (a restart keeps the id).
   * A replaced container has a new id, and starts again from 0, as a new pod does.
   */
  containerIds: string[];
}

/** Object key (`Container/web`) → its record. */
export type RestartRecords = Record<string, RestartRecord>;

const RESTARTS_FILE = 'restarts.json';

/** The project's restart records; a missing or unreadable file is no records. Never throws. */
export async function readRestarts(stateDir: string, project: string): Promise<RestartRecords> {
  const read = await readJsonFile(join(projectRecordDir(stateDir, project), RESTARTS_FILE));
  if (!read.ok || typeof read.value !== 'object' || read.value === null) return {};
  const out: RestartRecords = {};
  for (const [key, value] of Object.entries(read.value as Record<string, unknown>)) {
    const r = value as Partial<RestartRecord>;
    if (typeof r.restarts === 'number' && Array.isArray(r.containerIds))
      out[key] = {
        restarts: r.restarts,
        lastAt: Number(r.lastAt ?? 0),
        containerIds: r.containerIds.map(String),
      };
  }
  return out;
}

/** Writes the project's restart records atomically. Rejects when the file cannot be written. */
export async function writeRestarts(
  stateDir: string,
  project: string,
  records: RestartRecords,
): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(records).sort(([a], [b]) => a.localeCompare(b)));
  await writeFileAtomic(
    join(projectRecordDir(stateDir, project), RESTARTS_FILE),
    JSON.stringify(sorted, null, 2) + '\n',
  );
}

/**
 * berth's restarts that count for an object whose containers now have `containerIds`: the
 * record's, when one of them is a container it restarted; else 0 (replaced since). Pure.
 */
export function restartsFor(
  records: RestartRecords,
  key: string,
  containerIds: readonly string[],
): number {
  const r = records[key];
  if (!r || !r.containerIds.some((id) => containerIds.includes(id))) return 0;
  return r.restarts;
}

/** `records` after `count` more restarts of `key`'s containers at `now`. Pure. */
export function withRestarts(
  records: RestartRecords,
  key: string,
  count: number,
  containerIds: readonly string[],
  now: number,
): RestartRecords {
  const before = restartsFor(records, key, containerIds);
  return {
    ...records,
    [key]: { restarts: before + count, lastAt: now, containerIds: [...containerIds].sort() },
  };
}

/**
 * Adds one restart for each of `restarted` (a declared container's key and its containers'
 * engine ids) to the project's records, at `now`: the restarts `berth restart` makes while no
 * `berth watch` runs (DESIGN.md verb table: "counted"). Rejects when the file cannot be written.
 */
export async function recordRestarts(
  stateDir: string,
  project: string,
  restarted: readonly { key: string; containerIds: readonly string[] }[],
  now: number,
): Promise<void> {
  if (restarted.length === 0) return;
  let records = await readRestarts(stateDir, project);
  for (const r of restarted) records = withRestarts(records, r.key, 1, r.containerIds, now);
  await writeRestarts(stateDir, project, records);
}

/** Engine ids of the containers (every replica) of the declared container `key`. Pure. */
export function containerIdsOf(project: string, observed: ObservedState, key: string): string[] {
  const name = key.slice(key.indexOf('/') + 1);
  return observed.containers
    .filter(
      (c) => c.labels[LABEL.kind] === 'Container' && ownedKey(c, project) === `Container/${name}`,
    )
    .map((c) => c.id);
}
