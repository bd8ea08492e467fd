import { canonicalJSON } from '../../specs/index.js';
import type { ContainerObject, DesiredObject, FileMount, ObjectKey } from '../../specs/model.js';
import { objectKey } from '../../specs/model.js';
import { digestOfMount } from '../plan/file-mount-paths.js';

/**
 * Keys whose declaration appeared, disappeared or differs in any way. A container's
 * declaration includes the digests of the Secret and Config values it mounts, as its spec
 * hash does: a changed value changes the containers that mount it (F122: a changed Secret
 * file queued only the Secret, which has no steps of its own).
 */
export function diffKeys(before: DesiredObject[], after: DesiredObject[]): ObjectKey[] {
  const fingerprint = (o: DesiredObject, set: DesiredObject[]) =>
    canonicalJSON({
      kind: o.kind,
      name: o.name,
      labels: o.labels,
      spec: o.spec,
      ...(o.kind === 'Container' ? { values: mountedDigests(o, set) } : {}),
    });
  const old = new Map(before.map((o) => [objectKey(o), fingerprint(o, before)]));
  const now = new Map(after.map((o) => [objectKey(o), fingerprint(o, after)]));
  const keys = new Set<ObjectKey>([...old.keys(), ...now.keys()]);
  return [...keys].filter((k) => old.get(k) !== now.get(k)).sort();
}

/** The digest of each Secret and Config value the container mounts, in mount order. */
function mountedDigests(container: ContainerObject, set: readonly DesiredObject[]): string[] {
  return container.spec.mounts
    .filter((m): m is FileMount => m.type === 'secret' || m.type === 'config')
    .map((m) => digestOfMount(m, set));
}
