import type { ContainerObject, DesiredObject, FileMount } from './model.js';

/** Finds a declared object by kind and name; used to resolve references into the hash. */
export type ObjectLookup = (kind: DesiredObject['kind'], name: string) => DesiredObject | undefined;

/**
 * The one definition of what forces a container to be recreated: its normalised spec fields
 * by name, references resolved (a bind mount is its host path, the image its reference), and
 * `labels` (the engine cannot relabel in place). Left out, because berth acts on them without
 * recreating: `state`, `dependsOn`, `replicas`, `envFiles` (their values are in `env`: a changed
 * file recreates, a moved one does not), `update` (how the next change is rolled out; DESIGN.md
 * "Changing only `spec.update` never recreates", F116), `healthcheck.restartOnUnhealthy`, and a
 * bind mount's `type` (a host-side check made before the container is created, issue 11).
 *
 * Both the spec hash (`berth.spec-hash`) and the per-field change list (`spec changed: env`)
 * are computed from this, so they can never disagree.
 */
export function containerRecreateFields(
  object: ContainerObject,
  lookup: ObjectLookup,
): Record<string, unknown> {
  const {
    state: _state,
    dependsOn: _dependsOn,
    replicas: _replicas,
    envFiles: _envFiles,
    update: _update,
    healthcheck,
    mounts,
    image,
    ...rest
  } = object.spec;
  const resolvedMounts = mounts.map((mount) => {
    if (mount.type === 'secret' || mount.type === 'config') return withDigest(mount, lookup);
    if (mount.type !== 'bind') return mount;
    const bind = lookup('BindMount', mount.bindMount);
    return bind?.kind === 'BindMount'
      ? { ...mount, host: { hostPath: bind.spec.hostPath } }
      : mount;
  });
  let check: unknown;
  if (healthcheck) {
    const { restartOnUnhealthy: _restartOnUnhealthy, ...checkFields } = healthcheck;
    check = checkFields;
  }
  return {
    ...rest,
    image: image.ref,
    mounts: resolvedMounts,
    healthcheck: check,
    labels: object.labels,
  };
}

/** One recreate field whose value differs between two declarations of a container. */
export interface RecreateFieldChange {
  field: string;
  /** The normalised value before (undefined: not set). */
  from: unknown;
  to: unknown;
}

/**
 * The recreate fields that differ between two declarations of one container, sorted by
 * name, with old and new values: what `berth diff` shows and why a recreate is planned.
 */
export function recreateFieldChanges(
  before: { object: ContainerObject; lookup: ObjectLookup },
  after: { object: ContainerObject; lookup: ObjectLookup },
  same: (a: unknown, b: unknown) => boolean,
): RecreateFieldChange[] {
  const from = containerRecreateFields(before.object, before.lookup);
  const to = containerRecreateFields(after.object, after.lookup);
  const names = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return names
    .filter((field) => !same(from[field], to[field]))
    .map((field) => ({ field, from: from[field], to: to[field] }));
}

/**
 * A secret or config mount with the digest of the value it mounts (never the value), so a
 * changed value recreates the containers that mount it.
 */
function withDigest(mount: FileMount, lookup: ObjectLookup): FileMount & { digest?: string } {
  const object = lookup(mount.type === 'secret' ? 'Secret' : 'Config', mount.name);
  const digest =
    object?.kind === 'Secret' || object?.kind === 'Config' ? object.spec.digest : undefined;
  return { ...mount, digest };
}
