import { externalRef } from '../normalise/external.js';
import type { SpecKind } from './spec-kind.js';
import { lazily } from './lazily.js';

const resourceNormalisers = lazily(() => import('../normalise/resources.js'));

/** Volume: driver and options recreate it; `retain` is berth's own and does not. */
export const volumeSpecKind: SpecKind<'Volume'> = {
  normalise: async (manifest, ctx) => {
    const { normaliseVolume } = await resourceNormalisers();
    const name = manifest.metadata.name;
    const spec = normaliseVolume(manifest.spec, ctx);
    const external = externalRef(manifest.spec as Record<string, unknown> | undefined, name, ctx);
    return external ? { ...spec, external } : spec;
  },
  recreateFields: (object) => {
    const { driver, options, external } = object.spec;
    return { driver, options, external };
  },
};
