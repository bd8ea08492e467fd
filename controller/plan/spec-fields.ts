import { createHash } from 'node:crypto';
import { canonicalJSON } from '../../specs/hash.js';
import type { ContainerObject, DesiredObject } from '../../specs/model.js';
import {
  containerRecreateFields,
  recreateFieldChanges,
  type ObjectLookup,
  type RecreateFieldChange,
} from '../../specs/recreate-fields.js';

/**
 * Short hashes of each container field that forces a recreate ({@link containerRecreateFields},
 * the same definition the spec hash covers), stored as a label so that a later plan can say
 * *what* changed ("spec changed: env, ports") without keeping the old spec anywhere.
 */
export function containerFieldHashes(
  container: ContainerObject,
  desired: readonly DesiredObject[],
): Record<string, string> {
  let byContainer = fieldHashCache.get(desired);
  if (!byContainer) fieldHashCache.set(desired, (byContainer = new WeakMap()));
  let hashes = byContainer.get(container);
  if (!hashes) {
    const fields = containerRecreateFields(container, lookupIn(desired));
    hashes = {};
    for (const key of Object.keys(fields).sort())
      hashes[key] = shortHash(canonicalJSON(fields[key]));
    byContainer.set(container, hashes);
  }
  return { ...hashes };
}

/**
 * Field hashes by declared set and container object: both are never changed once read (a
 * new revision is a new set), and `berth watch` plans the same set on every pass, where
 * hashing every container's fields again was the plan's largest cost (issue 11, storm CPU).
 */
const fieldHashCache = new WeakMap<
  readonly DesiredObject[],
  WeakMap<ContainerObject, Record<string, string>>
>();

/**
 * Old → new values of every recreate field that differs between two declared sets' versions
 * of one container (for `berth diff` and anything else that explains a recreate).
 */
export function containerFieldChanges(
  before: { container: ContainerObject; desired: readonly DesiredObject[] },
  after: { container: ContainerObject; desired: readonly DesiredObject[] },
): RecreateFieldChange[] {
  return recreateFieldChanges(
    { object: before.container, lookup: lookupIn(before.desired) },
    { object: after.container, lookup: lookupIn(after.desired) },
    (a, b) => canonicalJSON(a ?? null) === canonicalJSON(b ?? null),
  );
}

function lookupIn(desired: readonly DesiredObject[]): ObjectLookup {
  return (kind, name) => desired.find((o) => o.kind === kind && o.name === name);
}

export function encodeFieldHashes(hashes: Record<string, string>): string {
  return Object.entries(hashes)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Field names whose hash differs; empty when the label is missing or unreadable. */
export function changedFields(
  label: string | undefined,
  desired: Record<string, string>,
): string[] {
  if (!label) return [];
  const observed = new Map(label.split(',').map((pair) => pair.split('=') as [string, string]));
  const names = new Set([...observed.keys(), ...Object.keys(desired)]);
  return [...names].filter((n) => observed.get(n) !== desired[n]).sort();
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
