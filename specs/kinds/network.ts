import { externalRef } from '../normalise/external.js';
import type { SpecKind } from './spec-kind.js';
import { lazily } from './lazily.js';

const resourceNormalisers = lazily(() => import('../normalise/resources.js'));

/** Network: every normalised field recreates it (the engine cannot change a network). */
export const networkSpecKind: SpecKind<'Network'> = {
  normalise: async (manifest, ctx) => {
    const { normaliseNetwork } = await resourceNormalisers();
    const name = manifest.metadata.name;
    const spec = normaliseNetwork(manifest.spec, ctx, name);
    const external = externalRef(manifest.spec as Record<string, unknown> | undefined, name, ctx);
    return external ? { ...spec, external } : spec;
  },
  recreateFields: (object) => {
    const { driver, internal, attachable, ipam, options, external } = object.spec;
    return { driver, internal, attachable, ipam, options, external };
  },
};
