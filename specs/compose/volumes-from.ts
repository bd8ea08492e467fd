import { isRecord } from './located.js';
import { berthName, lose, whereIn } from './state.js';
import type { ImportedObject, ImportState } from './state.js';

/**
 * Compose `volumes_from: [SERVICE[:ro|:rw]]` as the mounts it gives: the engine's VolumesFrom
 * mounts every volume and bind of the other container at the same path (read-only with
 * `:ro`, read-write with `:rw`, else as there), and the container's own mounts win on the same
 * target. Import writes the other service's declared mounts (tmpfs aside: not shared) into
 * this container, naming the same Volume objects, so both see the same data — anonymous
 * volumes too. Runs once every service is converted; a chain (A from B from C) reaches C's
 * mounts through B, as the engine's does. What stays a loss: `container:NAME` (a container
 * outside the project) and a service that runs no container here. Volumes only the image
 * declares (a Dockerfile VOLUME) are not known at import; said as a warning.
 */
export function carryVolumesFrom(state: ImportState): void {
  const done = new Set<string>();
  for (const service of Object.keys(state.project.services))
    resolve(state, service, done, new Set());
}

function resolve(state: ImportState, service: string, done: Set<string>, path: Set<string>): void {
  if (done.has(service) || path.has(service)) return;
  path.add(service);
  const svc = state.project.services[service];
  const list = isRecord(svc) && Array.isArray(svc.volumes_from) ? svc.volumes_from : [];
  list.forEach((entry, index) => {
    const at = `services.${service}.volumes_from[${index}]`;
    const [source = '', mode] = String(entry).split(':');
    if (source === 'container') {
      lose(
        state,
        list,
        index,
        at,
        'a container outside the project: berth mounts declared objects only',
      );
      return;
    }
    if (!isRecord(state.project.services[source])) {
      lose(state, list, index, at, `no service ${source} in these Compose files`);
      return;
    }
    resolve(state, source, done, path);
    const from = container(state, source);
    const into = container(state, service);
    if (!from || !into) {
      if (into) lose(state, list, index, at, `${source} runs no container here`);
      return;
    }
    copyMounts(from, into, mode);
    state.warnings.push({
      where: whereIn(state, list, index),
      message:
        `${at}: the mounts ${source} declares are written into ${into.name}; volumes only its ` +
        `image declares (Dockerfile VOLUME) are not shared: declare them under ${source}'s volumes`,
    });
  });
  path.delete(service);
  done.add(service);
}

/** Adds `from`'s volume, bind and file mounts to `into`, but on targets `into` mounts itself. */
function copyMounts(from: ImportedObject, into: ImportedObject, mode: string | undefined): void {
  const own = mountsOf(into);
  const taken = new Set(own.map((m) => m.target ?? m.tmpfs));
  for (const mount of mountsOf(from)) {
    if ('tmpfs' in mount || taken.has(mount.target)) continue;
    const copy = { ...mount };
    if (mode === 'ro') copy.readOnly = true;
    else if (mode === 'rw') delete copy.readOnly;
    own.push(copy);
    taken.add(mount.target);
  }
  if (own.length) into.spec.mounts = own;
}

function mountsOf(object: ImportedObject): Record<string, unknown>[] {
  const mounts = object.spec.mounts;
  return Array.isArray(mounts) ? (mounts as Record<string, unknown>[]) : [];
}

function container(state: ImportState, service: string): ImportedObject | undefined {
  const object = state.objects.get(`Container/${berthName(state, 'service', service)}`);
  return object?.kind === 'Container' ? object : undefined;
}
