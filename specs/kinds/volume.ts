import { externalRef, ownedEngineName } from '../normalise/external.js';
import type { SpecKind } from './spec-kind.js';
import { lazily } from './lazily.js';

const resourceNormalisers = lazily(() => import('../normalise/resources.js'));

/**
 * Volume: driver, options and the engine `name` recreate it (berth never does that to a
 * volume by itself: plan says so); `retain` is berth's own and does not.
 */
export const volumeSpecKind: SpecKind<'Volume'> = {
  normalise: async (manifest, ctx) => {
    const { normaliseVolume } = await resourceNormalisers();
    const name = manifest.metadata.name;
    const raw = manifest.spec as Record<string, unknown> | undefined;
    const spec = normaliseVolume(manifest.spec, ctx);
    const external = externalRef(raw, name, ctx);
    if (external) return { ...spec, external };
    const engineName = ownedEngineName(raw, 'Volume', ctx);
    return engineName === undefined ? spec : { ...spec, name: engineName };
  },
  recreateFields: (object) => {
    const { driver, options, name, external } = object.spec;
    return { driver, options, name, external };
  },
};
