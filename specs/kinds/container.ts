import { normaliseContainer } from '../normalise/container.js';
import { containerRecreateFields } from '../recreate-fields.js';
import type { SpecKind } from './spec-kind.js';

/**
 * Container: its recreate fields are {@link containerRecreateFields}, the one definition the
 * per-field change list also reads; labels are hashed beside the spec, so left out here.
 */
export const containerSpecKind: SpecKind<'Container'> = {
  normalise: (manifest, ctx) => normaliseContainer(manifest.spec, ctx),
  recreateFields: (object, lookup) => {
    const { labels: _labels, ...fields } = containerRecreateFields(object, lookup);
    return fields;
  },
};
