import type { ConfigObject, SecretObject } from '../model.js';
import type { ConfigManifest, SecretManifest } from '../types.generated.js';
import type { NormaliseContext } from '../normalise/context.js';
import { lazily } from './lazily.js';

const fileValueNormaliser = lazily(() => import('../normalise/file-value.js'));

/**
 * Secret and Config share one shape: a value read at load time, known afterwards only by its
 * digest. A changed value (digest) recreates; the value itself is never hashed or shown.
 */
export const fileValueParts = {
  normalise: async (
    manifest: SecretManifest | ConfigManifest,
    ctx: NormaliseContext,
    env: NodeJS.ProcessEnv,
  ) =>
    (await fileValueNormaliser()).normaliseFileValue(
      manifest.spec,
      manifest.kind === 'Secret' ? 'secret' : 'config',
      ctx,
      env,
    ),
  recreateFields: (object: SecretObject | ConfigObject) => ({
    source: object.spec.source,
    digest: object.spec.digest,
  }),
};
