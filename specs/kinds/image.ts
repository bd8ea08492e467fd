import type { SpecKind } from './spec-kind.js';
import { lazily } from './lazily.js';

const resourceNormalisers = lazily(() => import('../normalise/resources.js'));

/**
 * Image: a reference, pulled or built. A rebuild is decided by the build's content hash (the
 * `berth.build-hash` label), so the hash covers the build's inputs but not that digest, nor
 * the images the builder may take cache from.
 */
export const imageSpecKind: SpecKind<'Image'> = {
  normalise: async (manifest, ctx, env) =>
    (await resourceNormalisers()).normaliseImage(manifest.spec, ctx, env),
  recreateFields: (object) => {
    const { ref, build } = object.spec;
    if (!build) return { ref };
    // cacheFrom changes how fast the image is built, never what it holds.
    const { contentHash: _contentHash, cacheFrom: _cacheFrom, ...buildFields } = build;
    return { ref, build: buildFields };
  },
};
