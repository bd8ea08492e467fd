import type { ObjectKey } from '../../specs/model.js';
import type { ProjectHold } from '../records/hold.js';
import type { ProjectStatus } from './status-types.js';

/** The notice of a held project: `Held since <time> (<by>): berth release resumes`. */
export function heldNotice(hold: ProjectHold): string {
  return `Held since ${new Date(hold.since).toISOString()} (${hold.by}): berth release resumes`;
}

/**
 * The status of a held project against its source (DESIGN.md "Updates and rollback": status
 * shows `Held`): the controller converges to the held set, so the engine may match it while
 * the source declares something else. `heldBack` are the keys the source declares otherwise;
 * each one is out of sync with reason `Held: …`, the project is not in sync, and the notice
 * names them; the hold's reason (records/hold.ts) is given to the object whose failed update
 * made it (`hold.failedUpdate`). Pure; without held-back keys the status is returned as it is.
 */
export function heldStatus(
  status: ProjectStatus,
  heldBack: readonly ObjectKey[],
  hold?: Pick<ProjectHold, 'by' | 'failedUpdate'>,
): ProjectStatus {
  if (heldBack.length === 0) return status;
  const keys = new Set(heldBack);
  const reason =
    'Held: the source declares a change that is not applied (berth release applies it)';
  // The object whose failed update made the hold says why (F162: only the log said it).
  // A key shown on another context carries `@context`: the hold names the declared object.
  const reasonOf = (key: ObjectKey) =>
    hold?.failedUpdate !== undefined && hold.failedUpdate === key.replace(/@.*$/, '')
      ? `Held: ${hold.by}; berth release applies the declared change`
      : reason;
  const objects = status.objects.map((o) =>
    keys.has(o.key) ? { ...o, inSync: false, reason: reasonOf(o.key) } : o,
  );
  const outOfSync = objects.filter((o) => o.declared && (!o.inSync || o.conflict !== null)).length;
  const listed = heldBack.slice(0, 5).join(', ') + (heldBack.length > 5 ? ', …' : '');
  const notice = `${status.notice ?? 'Held'}; the source declares changes not applied: ${listed}`;
  return { ...status, inSync: false, outOfSync, objects, notice };
}

/**
 * The status `berth watch` answers before its first read of the source: the desired set is
 * not known yet, so the project is not in sync, whatever the engine shows (an empty desired
 * set would read as "in sync"; a client waiting for in sync stopped while the controller was
 * still finishing an interrupted update — CI, crash-safety). Pure.
 */
export function startingStatus(status: ProjectStatus): ProjectStatus {
  const starting = 'berth watch is starting: the source is not read yet';
  const notice = status.notice ? `${starting}; ${status.notice}` : starting;
  return { ...status, inSync: false, notice };
}

/**
 * The status `berth watch` answers: `compute`'s, or {@link startingStatus} of it when the
 * controller had not read its source when `compute` began. Whether it had is read before
 * `compute` runs (it reads the desired set first, synchronously): a status begun before the
 * first read compares the engine with an empty desired set, and must not say in sync merely
 * because the read finished while it was awaiting the engine (F38: a client polling from the
 * moment the API answered saw "in sync" beside the leftovers of an update cut short).
 */
export async function statusOnceStarted(
  started: () => boolean,
  compute: () => Promise<ProjectStatus>,
): Promise<ProjectStatus> {
  const read = started();
  const status = await compute();
  return read ? status : startingStatus(status);
}
