import type { ContainerObject, DesiredObject } from './model.js';
import { specHash } from './hash.js';
import type { ObjectLookup } from './hash.js';
import { copyPositions } from './positions.js';

/** A literal image reference (`busybox:1.36`, `localhost/x`, `x@sha256:…`) rather than an Image name. */
export function isLiteralImageRef(image: string): boolean {
  return /[:/@]/.test(image);
}

export function lookupIn(objects: DesiredObject[]): ObjectLookup {
  const byKey = new Map<string, DesiredObject>();
  // The first declaration wins; later duplicates are reported by checkSet.
  for (const o of objects)
    if (!byKey.has(`${o.kind}/${o.name}`)) byKey.set(`${o.kind}/${o.name}`, o);
  return (kind, name) => byKey.get(`${kind}/${name}`);
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
  const hash = options.hash ?? true;
  return objects.map((object) => {
    let linked: DesiredObject = object;
    if (object.kind === 'Container') linked = withImage(object, lookup);
    linked = { ...linked, specHash: hash ? specHash(linked, lookup) : '' } as DesiredObject;
    copyPositions(object, linked);
    return linked;
  });
}

function withImage(container: ContainerObject, lookup: ObjectLookup): ContainerObject {
  const written = container.spec.image.object ?? container.spec.image.ref;
  const image = isLiteralImageRef(written) ? undefined : lookup('Image', written);
  const reference =
    image?.kind === 'Image' ? { object: image.name, ref: image.spec.ref } : { ref: written };
  return { ...container, spec: { ...container.spec, image: reference } };
}
