import type { ContainerObject, DesiredObject } from './model.js';
import { specHash } from './hash.js';
import type { ObjectLookup } from './hash.js';
import { copyPositions } from './positions.js';

/** A literal image reference (`busybox:1.36`, `localhost/x`, `x@sha256:…`) rather than an Image name. */
export function isLiteralImageRef(image: string): boolean {
  return /[:/@]/.test(image);
}

/**
 * Finds an object of the set by kind and name. A map per kind, not one keyed `kind/name`: a
 * set of 1,000 objects is looked up several times per container (issue 12), and building a
 * key string for each look-up cost more than the look-up.
 */
export function lookupIn(objects: DesiredObject[]): ObjectLookup {
  const byKind = new Map<string, Map<string, DesiredObject>>();
  for (const o of objects) {
    let named = byKind.get(o.kind);
    if (!named) byKind.set(o.kind, (named = new Map()));
    // The first declaration wins; later duplicates are reported by checkSet.
    if (!named.has(o.name)) named.set(o.name, o);
  }
  return (kind, name) => byKind.get(kind)?.get(name);
}

/**
 * Resolves cross-object references and computes every spec hash. Returns new objects
 * (positions carried over); call it again after swapping objects in or out of a set,
 * since a container's hash depends on the objects it references. With `hash: false` the
 * hashes stay empty (`validate` checks a set and never compares it with an engine).
 */
export function linkObjects(
  objects: DesiredObject[],
  options: { hash?: boolean } = {},
): DesiredObject[] {
  const lookup = lookupIn(objects);
  const byRef = imagesByRef(objects);
  const hash = options.hash ?? true;
  return objects.map((object) => {
    let linked: DesiredObject = object;
    if (object.kind === 'Container') linked = withImage(object, lookup, byRef);
    linked = { ...linked, specHash: hash ? specHash(linked, lookup) : '' } as DesiredObject;
    copyPositions(object, linked);
    return linked;
  });
}

/**
 * The declared Images by their `ref`, for containers that name an image by its reference
 * (`image: localhost/app:1` beside an Image `app` with that ref, as Compose's `image:` +
 * `build:` reads). A ref two Images share links to neither (null).
 */
function imagesByRef(objects: DesiredObject[]): Map<string, DesiredObject | null> {
  const byRef = new Map<string, DesiredObject | null>();
  for (const o of objects)
    if (o.kind === 'Image') byRef.set(o.spec.ref, byRef.has(o.spec.ref) ? null : o);
  return byRef;
}

/**
 * The container's image linked to the Image object it names: by the object's name, or by a
 * literal reference a declared Image has as its `ref` (F840: linked by name only, such a
 * container pulled the reference while the Image was still being built, and the first apply
 * failed with "cannot pull"; it now waits for the build and follows the Image's rebuilds).
 */
function withImage(
  container: ContainerObject,
  lookup: ObjectLookup,
  byRef: Map<string, DesiredObject | null>,
): ContainerObject {
  const written = container.spec.image.object ?? container.spec.image.ref;
  const image = isLiteralImageRef(written)
    ? (byRef.get(written) ?? undefined)
    : lookup('Image', written);
  // A literal reference stays as it is: the spec is not copied (a container's spec has dozens
  // of fields; copying 1,000 of them was most of linking a large set, issue 12).
  if (!image && container.spec.image.object === undefined) return container;
  const reference =
    image?.kind === 'Image' ? { object: image.name, ref: image.spec.ref } : { ref: written };
  return { ...container, spec: { ...container.spec, image: reference } };
}
