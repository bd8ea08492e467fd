import { hashValue } from './canonical-json.js';
import type { DesiredObject } from './model.js';
import { specKind } from './kinds/index.js';
import type { ObjectLookup } from './recreate-fields.js';

export type { ObjectLookup } from './recreate-fields.js';

export { canonicalJSON, hashValue } from './canonical-json.js';

/**
 * The spec hash: covers the normalised fields whose change needs a recreate, plus
 * metadata.labels (the engine cannot relabel in place). Each kind names those fields in
 * specs/kinds/<kind>.ts; for containers they are `containerRecreateFields`, the same ones the
 * per-field change list names.
 */
export function specHash(object: DesiredObject, lookup: ObjectLookup): string {
  const spec = recreateFields(object, lookup);
  return hashValue({ kind: object.kind, labels: object.labels, spec });
}

/** The kind's recreate fields (specs/kinds/<kind>.ts) of one object. */
function recreateFields<K extends DesiredObject['kind']>(
  object: Extract<DesiredObject, { kind: K }>,
  lookup: ObjectLookup,
): unknown {
  return specKind<K>(object.kind).recreateFields(object, lookup);
}
