import { externalRef, ownedEngineName } from '../normalise/external.js';
import type { SpecKind } from './spec-kind.js';
import { lazily } from './lazily.js';

const resourceNormalisers = lazily(() => import('../normalise/resources.js'));

/**
 * Network: every normalised field recreates it (the engine cannot change a network), `name`
 * too: another engine name is another engine object.
 */
export const networkSpecKind: SpecKind<'Network'> = {
  normalise: async (manifest, ctx) => {
    const { normaliseNetwork } = await resourceNormalisers();
    const name = manifest.metadata.name;
    const raw = manifest.spec as Record<string, unknown> | undefined;
    const spec = normaliseNetwork(manifest.spec, ctx, name);
    const external = externalRef(raw, name, ctx);
    if (external) return { ...spec, external };
    const engineName = ownedEngineName(raw, 'Network', ctx);
    return engineName === undefined ? spec : { ...spec, name: engineName };
  },
  recreateFields: (object) => {
    const { driver, internal, attachable, ipam, options, name, external } = object.spec;
    const { ipamMore, enableIPv6 } = object.spec;
    return { driver, internal, attachable, ipam, ipamMore, enableIPv6, options, name, external };
  },
};
