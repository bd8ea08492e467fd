import type { Engine, ObservedImage, ProgressListener } from '../engine/engine.js';
import { EngineError } from '../engine/engine.js';
import { resolveRegistryAuth } from './credentials.js';

/**
 * Pulling an Image object's reference with the user's registry credentials, and holding
 * a pinned digest to its word.
 */

/** A reference split into repository, tag and digest (`repo:tag@sha256:…`). */
export function parseImageRef(ref: string): { repo: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  const named = at < 0 ? ref : ref.slice(0, at);
  const digest = at < 0 ? undefined : ref.slice(at + 1);
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  return {
    repo: hasTag ? named.slice(0, colon) : named,
    ...(hasTag ? { tag: named.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** `docker.io/library/x` and `x` name the same repository; the engine lists the short form. */
function shortRepo(repo: string): string {
  return repo.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

/**
 * Throws E_IMAGE_PULL "digest mismatch" unless the image's RepoDigests hold the digest
 * the reference pins. A reference without a digest passes.
 */
export function verifyDigest(ref: string, image: ObservedImage): void {
  const { repo, digest } = parseImageRef(ref);
  if (digest === undefined) return;
  const wanted = `${shortRepo(repo)}@${digest}`;
  const held = image.repoDigests.map((d) => {
    const at = d.indexOf('@');
    return `${shortRepo(d.slice(0, at))}${d.slice(at)}`;
  });
  if (held.includes(wanted)) return;
  throw new EngineError(
    'E_IMAGE_PULL',
    `cannot pull ${ref}: digest mismatch (the engine has ${held.join(', ') || 'no digest'} for it)`,
    { operation: 'pull', target: ref },
  );
}

/**
 * Pulls `ref` with the credentials docker would use (see credentials.ts) and checks a
 * pinned digest. A `repo:tag@digest` reference is pulled by digest alone: the digest is
 * what is pinned, the tag only documents it. Failures are E_IMAGE_PULL naming the registry
 * reason; the credentials never appear in them.
 */
export async function pullWithCredentials(
  engine: Engine,
  ref: string,
  env: NodeJS.ProcessEnv,
  onProgress?: ProgressListener,
): Promise<ObservedImage> {
  const { repo, digest } = parseImageRef(ref);
  const auth = await resolveRegistryAuth(ref, env);
  const pullRef = digest !== undefined ? `${repo}@${digest}` : ref;
  const image = await engine.pullImage(pullRef, auth, onProgress);
  verifyDigest(ref, image);
  return image;
}
