import type { ObservedState } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import { LABEL } from '../labels.js';

/**
 * The containers and networks of `project` on the engine, as `Kind/name` (sorted, each once),
 * for a `down` that finds no apply recorded. Volumes are left out: a retained one stays after
 * `down` by design. Pure.
 */
export function ownedObjectKeys(project: string, observed: ObservedState): string[] {
  const keys = new Set<string>();
  const add = (kind: string, o: { name: string; labels: Record<string, string> }) => {
    if (o.labels[LABEL.project] === project) keys.add(`${kind}/${o.labels[LABEL.name] ?? o.name}`);
  };
  for (const c of observed.containers) add('Container', c);
  for (const n of observed.networks) add('Network', n);
  return [...keys].sort();
}

/**
 * `down` without a record while the project's objects run (FINDINGS F181: a full disk kept
 * apply from recording, and `down` then said "nothing to delete", exit 0, leaking all of it).
 * DESIGN.md: `down` deletes the project's *last applied set*; without one it cannot tell what
 * is the project's to delete, so it refuses (E_STATE, exit 1) naming what it found.
 */
export function unrecordedObjectsError(project: string, keys: readonly string[]): BerthError {
  const shown = keys.length > 8 ? [...keys.slice(0, 8), '…'] : keys;
  return new BerthError(
    'E_STATE',
    `project ${project} has no apply recorded, but ${keys.length} of its objects exist on the engine: ${shown.join(', ')}`,
    {
      hint: `berth apply -f DIR -p ${project} records them again (then berth down deletes them), or berth delete -f DIR -p ${project} deletes what DIR declares`,
    },
  );
}
