import { createHash } from 'node:crypto';
import type { ImageBuild } from '../model.js';
import { canonicalJSON } from '../canonical-json.js';

/**
 * What decides whether a built image is stale, kept as its `berth.build-hash` label: the
 * content of the context and the Dockerfile ({@link ImageBuild.contentHash}), the build args
 * and the target stage (F630: a changed `target` alone rebuilt nothing). Args and target are
 * their own fields of the build, not part of the content hash, so `berth diff` of an args
 * change names the args alone (F546); the image is rebuilt all the same. `cacheFrom` is left
 * out on purpose (F602): it names where the builder may find cached layers, which changes
 * how fast the image is built, not what it holds, so adding or changing it rebuilds nothing.
 */
export function buildKey(build: Pick<ImageBuild, 'contentHash' | 'args' | 'target'>): string {
  const { contentHash, args, target } = build;
  // No target: the key of the builds that had none before targets counted.
  const staged = target === undefined ? {} : { target };
  return createHash('sha256')
    .update(canonicalJSON({ content: contentHash, args, ...staged }))
    .digest('hex');
}
