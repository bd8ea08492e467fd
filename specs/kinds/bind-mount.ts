import type { SpecKind } from './spec-kind.js';
import { lazily } from './lazily.js';

const resourceNormalisers = lazily(() => import('../normalise/resources.js'));

/**
 * BindMount: a host path. Its hash covers the path and `type`; the containers that mount it
 * hash only the path (a changed `type` is a host-side check, see recreate-fields.ts).
 */
export const bindMountSpecKind: SpecKind<'BindMount'> = {
  normalise: async (manifest, ctx) =>
    (await resourceNormalisers()).normaliseBindMount(manifest.spec, ctx),
  recreateFields: (object) => ({ hostPath: object.spec.hostPath, type: object.spec.type }),
};
