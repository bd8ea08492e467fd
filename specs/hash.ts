import { createHash } from 'node:crypto';
import type { DesiredObject } from './model.js';
import { containerRecreateFields, type ObjectLookup } from './recreate-fields.js';

export type { ObjectLookup } from './recreate-fields.js';

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

/**
 * The spec hash: covers the normalised fields whose change needs a recreate, plus
 * metadata.labels (the engine cannot relabel in place). For containers those fields are
 * {@link containerRecreateFields}, the same ones the per-field change list names.
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
      const { driver, internal, attachable, ipam, options, external } = object.spec;
      return { driver, internal, attachable, ipam, options, external };
    }
    case 'Volume': {
      const { driver, options, external } = object.spec;
      return { driver, options, external };
    }
    case 'Secret':
    case 'Config':
      return { source: object.spec.source, digest: object.spec.digest };
    case 'BindMount':
      return { hostPath: object.spec.hostPath, type: object.spec.type };
    case 'Container':
      return containerFields(object, lookup);
  }
}

function containerFields(object: DesiredObject & { kind: 'Container' }, lookup: ObjectLookup) {
  const { labels: _labels, ...fields } = containerRecreateFields(object, lookup);
  return fields;
}
