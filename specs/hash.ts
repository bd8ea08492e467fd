import { createHash } from 'node:crypto';
import type { ContainerObject, DesiredObject } from './model.js';

/** JSON with object keys sorted at every level and undefined members dropped. */
export function canonicalJSON(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJSON(v ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJSON(v)}`).join(',')}}`;
}

/** First 16 hex characters of the sha256 of the canonical JSON. */
export function hashValue(value: unknown): string {
  return createHash('sha256').update(canonicalJSON(value)).digest('hex').slice(0, 16);
}

/** Finds a declared object by kind and name; used to resolve references into the hash. */
export type ObjectLookup = (kind: DesiredObject['kind'], name: string) => DesiredObject | undefined;

/**
 * The spec hash: covers the normalised fields whose change needs a recreate, plus
 * metadata.labels (the engine cannot relabel in place). A container's references are
 * resolved, so a referenced bind mount's host path or the image ref changes the
 * container's hash too. `state`, `dependsOn`, `replicas` and `restartOnUnhealthy` are left out:
 * berth acts on them without recreating.
 */
export function specHash(object: DesiredObject, lookup: ObjectLookup): string {
  return hashValue({ kind: object.kind, labels: object.labels, spec: hashedSpec(object, lookup) });
}

function hashedSpec(object: DesiredObject, lookup: ObjectLookup): unknown {
  switch (object.kind) {
    case 'Image': {
      const { ref, build } = object.spec;
      if (!build) return { ref };
      const { contentHash: _contentHash, ...buildFields } = build;
      return { ref, build: buildFields };
    }
    case 'Network': {
      const { driver, internal, attachable, ipam, options } = object.spec;
      return { driver, internal, attachable, ipam, options };
    }
    case 'Volume': {
      const { driver, options } = object.spec;
      return { driver, options };
    }
    case 'BindMount':
      return { hostPath: object.spec.hostPath, type: object.spec.type };
    case 'Container':
      return containerFields(object, lookup);
  }
}

function containerFields(object: ContainerObject, lookup: ObjectLookup): unknown {
  const {
    state: _state,
    dependsOn: _dependsOn,
    replicas: _replicas,
    healthcheck,
    mounts,
    image,
    ...rest
  } = object.spec;
  const resolvedMounts = mounts.map((mount) => {
    if (mount.type !== 'bind') return mount;
    const bind = lookup('BindMount', mount.bindMount);
    return bind?.kind === 'BindMount' ? { ...mount, host: bind.spec } : mount;
  });
  let check: unknown;
  if (healthcheck) {
    const { restartOnUnhealthy: _restartOnUnhealthy, ...checkFields } = healthcheck;
    check = checkFields;
  }
  return { ...rest, image: image.ref, mounts: resolvedMounts, healthcheck: check };
}
