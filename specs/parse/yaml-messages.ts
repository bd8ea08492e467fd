import type { YAMLError } from 'yaml';

/**
 * Plain explanations of the `yaml` parser's messages (issue 13: "the raw YAML parser
 * messages (indentation) get a plain explanation"). The parser's own words follow in
 * parentheses, so nothing is lost; unknown codes keep just the parser's words.
 */
const EXPLANATIONS: Partial<Record<YAMLError['code'], (raw: string) => string | undefined>> = {
  TAB_AS_INDENT: () => 'a tab is used to indent this line; YAML indents with spaces only',
  BAD_INDENT: (raw) =>
    /^Flow (sequence|map)/.test(raw)
      ? `a ${raw.includes('sequence') ? '[ list is not closed with ]' : '{ mapping is not closed with }'}, or its next line is not indented under its key`
      : 'this line is indented differently from the entries before it; entries of one mapping or list start in the same column',
  BLOCK_AS_IMPLICIT_KEY: (raw) =>
    raw.startsWith('A block sequence')
      ? 'a list item (- ) sits among the keys of a mapping; indent it under the key it belongs to'
      : 'a "key: value" is indented deeper than the entries before it, or a value holds ": "; align the keys (spaces, not tabs) or quote the value',
  MULTILINE_IMPLICIT_KEY: () =>
    'a key must be on one line and be followed by ": "; check the colon after the key and the indentation of this line and the one above',
  MISSING_CHAR: (raw) => {
    if (/closing .?quote/i.test(raw)) return 'a quoted value is not closed; add the closing quote';
    if (/followed by map values/.test(raw)) return 'a key needs ": " and a value after it';
    if (/^Flow sequence must end/.test(raw)) return 'a [ list is not closed with ]';
    if (/^Flow map must end/.test(raw)) return 'a { mapping is not closed with }';
    return undefined;
  },
  UNEXPECTED_TOKEN: () =>
    'this does not fit the structure around it; a line holds either a "key: value" or a list item "- value", indented under its parent',
  BAD_DQ_ESCAPE: () =>
    'a \\ escape that YAML does not know, inside double quotes; write \\\\ for a backslash or use single quotes',
  BAD_SCALAR_START: () =>
    'a plain value cannot start with this character (@, `, % and others); put the value in quotes',
};

/**
 * One line: the plain explanation when there is one, then the parser's first line. `stoppedAt`
 * (`LINE:COL`): the error is reported where the construct it names opened, and this is where
 * the parser gave up on it (F273).
 */
export function explainYamlError(error: YAMLError, stoppedAt?: string): string {
  const raw = error.message.split('\n')[0] ?? error.message;
  const plain = EXPLANATIONS[error.code]?.(raw);
  const where = stoppedAt ? `still open at ${stoppedAt}` : undefined;
  if (plain === undefined) return where ? `${raw} (${where})` : raw;
  return `${plain} (YAML${where ? `, ${where}` : ''}: ${raw})`;
}
