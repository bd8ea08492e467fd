import type { DesiredObject, SourcePosition } from './model.js';
import type { Locator, ValuePath } from './parse/locate.js';
import { blankVariableNote } from './validate/blank-values.js';

/**
 * Positions of the values inside each normalised object, kept beside the object rather
 * than in it so the model stays plain data. Keyed by object identity: an object that is
 * copied loses its positions and problems fall back to the document's position.
 */
const locators = new WeakMap<DesiredObject, Locator>();
/** The manifest each object was read from, as interpolated: what left a value blank. */
const documents = new WeakMap<DesiredObject, object>();

export function rememberPositions(object: DesiredObject, locate: Locator, document?: object): void {
  locators.set(object, locate);
  if (document) documents.set(object, document);
}

/** Carries the positions of `from` over to a derived copy. */
export function copyPositions(from: DesiredObject, to: DesiredObject): void {
  const locate = locators.get(from);
  if (locate) locators.set(to, locate);
  const document = documents.get(from);
  if (document) documents.set(to, document);
}

/**
 * `: variable TAG is not set` when interpolation left the value at `path` (raw manifest
 * path) blank in whole or part, as problems found while normalising say it; "" otherwise.
 * For the problems found across the set (`image: app:${TAG:-}` → `app:`, not a reference).
 */
export function blankNoteOf(object: DesiredObject, path: ValuePath): string {
  const document = documents.get(object);
  return document ? blankVariableNote(document, path) : '';
}

/** Where a value of an object was written (raw manifest path), or the document's position. */
export function positionOf(object: DesiredObject, path: ValuePath): SourcePosition {
  return locators.get(object)?.(path) ?? object.source;
}
