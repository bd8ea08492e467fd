import type { ObservedImage } from '../engine/engine.js';

/**
 * The canonical form the engine lists a reference under: no `docker.io/library/` prefix,
 * `:latest` when no tag or digest is given.
 */
export function canonicalRef(ref: string): string {
  let r = ref.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  if (r.includes('@')) return r;
  const lastSlash = r.lastIndexOf('/');
  if (!r.slice(lastSlash + 1).includes(':')) r += ':latest';
  return r;
}

/** The listed image a reference names: by tag, or by digest for `repo@sha256:…` refs. */
export function findImage(
  images: readonly ObservedImage[],
  ref: string,
): ObservedImage | undefined {
  const wanted = canonicalRef(ref);
  const at = wanted.indexOf('@');
  if (at >= 0) {
    const digest = wanted.slice(at + 1);
    const repo = wanted.slice(0, at).replace(/:[^/:]+$/, '');
    return images.find((img) =>
      img.repoDigests.some((d) => canonicalRef(d) === `${repo}@${digest}`),
    );
  }
  return images.find((img) => img.repoTags.some((t) => canonicalRef(t) === wanted));
}
