import type { Engine, ProgressListener } from '../engine/engine.js';
import { EngineError } from '../engine/engine.js';
import { resolveRegistryAuth } from './credentials.js';
import { parseImageRef } from './pull.js';

/**
 * Pushes the local image `ref` with the credentials docker would use for its registry
 * (see credentials.ts; the same lookup as pulls). A reference pinned by digest cannot be
 * pushed (a digest names what a registry already holds): E_IMAGE_PUSH. Resolves with the
 * digest the registry holds now.
 */
export async function pushWithCredentials(
  engine: Engine,
  ref: string,
  env: NodeJS.ProcessEnv,
  onProgress?: ProgressListener,
): Promise<{ digest?: string }> {
  if (parseImageRef(ref).digest !== undefined)
    throw new EngineError(
      'E_IMAGE_PUSH',
      `cannot push ${ref}: a digest reference names what a registry already holds`,
      {
        operation: 'push',
        target: ref,
      },
    );
  const auth = await resolveRegistryAuth(ref, env);
  return engine.pushImage(ref, auth, onProgress);
}

/** `repo:tag` → `repo:extraTag` (the digest, if any, dropped). */
export function withTag(ref: string, extraTag: string): string {
  return `${parseImageRef(ref).repo}:${extraTag}`;
}
