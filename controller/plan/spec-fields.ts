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
 * *what* changed ("spec changed: env, ports") without keeping the old spec anywhere. The
 * value of each Secret and Config it mounts has its own entry, `Secret.<name>` (a hash of
 * the value's digest, never the value), and `mounts` leaves the values out, so a changed
 * secret is named as such rather than as "mounts" (F85).
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
      hashes[key] = shortHash(canonicalJSON(key === 'mounts' ? mountsOnly(fields) : fields[key]));
    for (const [key, digest] of valueDigests(fields)) hashes[key] = shortHash(digest);
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

/**
 * Field names whose hash differs (`Secret.<name>` / `Config.<name>` for a mounted value);
 * empty when the label is missing or unreadable. A label written before values had their
 * own entries hashed `mounts` with the values in it: it is compared with `legacyMounts`
 * (the hash {@link legacyMountsHash} gives), and only `mounts` can be named.
 */
export function changedFields(
  label: string | undefined,
  desired: Record<string, string>,
  legacyMounts?: string,
): string[] {
  if (!label) return [];
  const observed = new Map(label.split(',').map((pair) => pair.split('=') as [string, string]));
  const wanted = { ...desired };
  if (![...observed.keys()].some(isValueKey) && Object.keys(wanted).some(isValueKey)) {
    for (const key of Object.keys(wanted)) if (isValueKey(key)) delete wanted[key];
    if (legacyMounts !== undefined) wanted.mounts = legacyMounts;
  }
  const names = new Set([...observed.keys(), ...Object.keys(wanted)]);
  return [...names].filter((n) => observed.get(n) !== wanted[n]).sort();
}

/** The `mounts` hash labels carried before F85, secret and config digests included. */
export function legacyMountsHash(
  container: ContainerObject,
  desired: readonly DesiredObject[],
): string {
  return shortHash(canonicalJSON(containerRecreateFields(container, lookupIn(desired)).mounts));
}

/**
 * Why a container is recreated, from {@link changedFields}: `spec changed: env, mounts`, and
 * `Secret api-token changed` for each mounted value that changed; `spec changed` when the
 * fields are not known.
 */
export function describeFieldChanges(fields: readonly string[]): string {
  const plain = fields.filter((f) => !isValueKey(f));
  const values = fields.filter(isValueKey).map((f) => `${f.replace('.', ' ')} changed`);
  const parts = [...(plain.length ? [`spec changed: ${plain.join(', ')}`] : []), ...values];
  return parts.length ? parts.join('; ') : 'spec changed';
}

function isValueKey(key: string): boolean {
  return key.startsWith('Secret.') || key.startsWith('Config.');
}

type DigestedMount = { type: string; name?: string; digest?: string };

/** The mounts without the digests of the values they mount. */
function mountsOnly(fields: Record<string, unknown>): unknown {
  return (fields.mounts as DigestedMount[]).map(({ digest: _digest, ...mount }) => mount);
}

/** `Secret.<name>` / `Config.<name>` → digest, for each mounted value. */
function valueDigests(fields: Record<string, unknown>): [string, string][] {
  return (fields.mounts as DigestedMount[]).flatMap((m) =>
    (m.type === 'secret' || m.type === 'config') && m.name !== undefined
      ? [
          [`${m.type === 'secret' ? 'Secret' : 'Config'}.${m.name}`, m.digest ?? ''] as [
            string,
            string,
          ],
        ]
      : [],
  );
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
