import { createHash } from 'node:crypto';
import type { ImageBuild } from '../model.js';
import { canonicalJSON } from '../canonical-json.js';

/**
 * What decides whether a built image is stale, kept as its `berth.build-hash` label: the
 * content of the context and the Dockerfile ({@link ImageBuild.contentHash}) and the build
 * args. The args are their own field of the build, not part of the content hash, so `berth
 * diff` of an args change names the args alone (F546); the image is rebuilt all the same.
 */
export function buildKey(build: Pick<ImageBuild, 'contentHash' | 'args'>): string {
  return createHash('sha256')
    .update(canonicalJSON({ content: build.contentHash, args: build.args }))
    .digest('hex');
}
