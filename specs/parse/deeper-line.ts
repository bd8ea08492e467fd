import type { YAMLError } from 'yaml';

/** What a line indented deeper than the key above it is said to be (F817). */
export const DEEPER_LINE_MESSAGE =
  'this line is indented deeper than the key above it, so YAML reads it as part of that value; align it with the keys before it (spaces, not tabs), or quote a value that holds ": "';

/**
 * Where a "nested mapping in a compact mapping" error really lies. A line indented deeper than
 * the key above it continues that key's plain value (`image: x` + `   command: y` reads as
 * the value `x command: y`), and the parser reports the value's start on the line above
 * (F817: pointed at `image:` for a mistake on the `command:` line). The parser's companion
 * MULTILINE_IMPLICIT_KEY error ends at the `: ` of the deeper line: the offset of that line's
 * first character that is not a space, when it is a later line; else undefined.
 */
export function deeperLineOffset(
  error: YAMLError,
  all: readonly YAMLError[],
  text: string,
): number | undefined {
  if (error.code !== 'BLOCK_AS_IMPLICIT_KEY') return undefined;
  const companion = all.find(
    (e) => e.code === 'MULTILINE_IMPLICIT_KEY' && e.pos[0] === error.pos[0],
  );
  if (!companion) return undefined;
  const lineStart = text.lastIndexOf('\n', companion.pos[1] - 1) + 1;
  if (lineStart <= error.pos[0]) return undefined;
  let at = lineStart;
  while (text[at] === ' ') at++;
  return at;
}
