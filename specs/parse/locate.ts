import { isAlias, isMap, isPair, isScalar, isSeq } from './yaml-lib.js';
import type { Document, LineCounter, Node, YAMLMap } from 'yaml';
import type { SourcePosition } from '../model.js';

/** A path into a parsed value: map keys and sequence indexes, as in ajv's instancePath. */
export type ValuePath = readonly (string | number)[];

/**
 * Finds where a value sits in its file. `locate(path)` is the value's own position;
 * `locate(path, 'key')` the position of the key that holds it (for unknown fields).
 * A path that leads nowhere yields the deepest node that exists, so a missing field
 * points at the mapping that lacks it.
 */
export type Locator = (path: ValuePath, at?: 'value' | 'key') => SourcePosition;

export function locator(doc: Document, lineCounter: LineCounter, file: string): Locator {
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  return (path, at = 'value') => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
    for (const [index, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(doc);
      const next = child(node, segment);
      if (!next) break;
      const isLast = index === path.length - 1;
      offset =
        at === 'key' && isLast && next.keyOffset !== undefined ? next.keyOffset : next.offset;
      node = next.node;
    }
    return position(offset);
  };

  function child(
    node: unknown,
    segment: string | number,
  ): { node: unknown; offset: number; keyOffset?: number } | undefined {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return merged(node, segment);
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      const keyOffset = key.range?.[0] ?? 0;
      return { node: value, offset: value?.range?.[0] ?? keyOffset, keyOffset };
    }
    if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return undefined;
      return { node: item, offset: item.range?.[0] ?? 0 };
    }
    return undefined;
  }

  /** A key that a merge key (`<<: *base`, `<<: [*a, *b]`) brings in: the first source that has it. */
  function merged(
    map: YAMLMap,
    segment: string | number,
  ): { node: unknown; offset: number; keyOffset?: number } | undefined {
    for (const item of map.items) {
      if (!isScalar(item.key) || typeof item.key.value !== 'symbol') continue;
      const value = item.value as Node | null;
      const sources = isSeq(value) ? value.items : [value];
      for (const source of sources) {
        const found = child(isAlias(source) ? source.resolve(doc) : source, segment);
        if (found) return found;
      }
    }
    return undefined;
  }
}
