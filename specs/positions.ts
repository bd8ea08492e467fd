import type { DesiredObject, SourcePosition } from './model.js';
import type { Locator, ValuePath } from './parse/locate.js';

/**
 * Positions of the values inside each normalised object, kept beside the object rather
 * than in it so the model stays plain data. Keyed by object identity: an object that is
 * copied loses its positions and problems fall back to the document's position.
 */
const locators = new WeakMap<DesiredObject, Locator>();

export function rememberPositions(object: DesiredObject, locate: Locator): void {
  locators.set(object, locate);
}

/** Carries the positions of `from` over to a derived copy. */
export function copyPositions(from: DesiredObject, to: DesiredObject): void {
  const locate = locators.get(from);
  if (locate) locators.set(to, locate);
}

/** Where a value of an object was written (raw manifest path), or the document's position. */
export function positionOf(object: DesiredObject, path: ValuePath): SourcePosition {
  return locators.get(object)?.(path) ?? object.source;
}
