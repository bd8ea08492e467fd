import { containerRecreateFields } from '../recreate-fields.js';
import type { SpecKind } from './spec-kind.js';
import { lazily } from './lazily.js';

const containerNormaliser = lazily(() => import('../normalise/container.js'));

/**
 * Container: its recreate fields are {@link containerRecreateFields}, the one definition the
 * per-field change list also reads; labels are hashed beside the spec, so left out here.
 */
export const containerSpecKind: SpecKind<'Container'> = {
  // Loaded on first use: the plan and `berth status` hash objects but never normalise one.
  normalise: async (manifest, ctx) =>
    (await containerNormaliser()).normaliseContainer(manifest.spec, ctx),
  recreateFields: (object, lookup) => {
    const { labels: _labels, ...fields } = containerRecreateFields(object, lookup);
    return fields;
  },
};
