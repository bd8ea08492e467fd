import type { SourcePosition } from '../model.js';
import { interpolate, type VariableLookup } from '../interpolate/resolve.js';
import { mayInterpolate } from '../interpolate/template.js';
import type { Locator } from './locate.js';
import { CORE_TYPES, Written } from './core-schema.js';
import { loadDocuments, readAhead, SEPARATOR } from './split-load.js';
import { rememberInterpolated, rememberText } from './scalar-text.js';

/**
 * The fast path of `parseManifestText` (issue 18: validate of 1,000 objects ≤ 0.3 s; the
 * `yaml` package's document trees took most of that). Plain manifests — block mappings,
 * `---` between documents, no anchors, aliases, tags, merge keys or directives — are read
 * with js-yaml straight to plain data, the same values the full path gives (YAML 1.2 core
 * scalars, numbers and booleans keeping their written text, `__proto__` an own key). Their
 * positions come from a scan of the lines: each document's start and its `kind` key; any
 * other position (a problem to report) parses the file with `yaml` once, then, so every
 * `file:line:col` is the full path's. Anything else — and anything js-yaml refuses, or a
 * variable that fails to interpolate — returns undefined: the full path handles it and
 * reports it exactly.
 */

/** One document read on the fast path. */
export interface FastDocument {
  value: Record<string, unknown>;
  start: SourcePosition;
  locate: Locator;
}

/**
 * Text the fast path leaves to the full parser: anchors, aliases and tags (`&a`, `*a`, `!t`
 * after a space, a flow indicator or the line start), merge keys, directives, documents
 * ended with `...`, tabs, a byte-order mark, explicit (`? `) and collection (`[a]: `) keys,
 * and a closing quote or bracket right before `#` (`"a"#c`: js-yaml takes it as a comment,
 * YAML wants a space first).
 * Strings that merely contain these characters (`a && b`) fall back too; that costs time only.
 */
const NOT_PLAIN =
  /(?:^|[\s[\]{},])[&*!]|<<|^%|^\.\.\.|\t|\uFEFF|^\s*\?(?:\s|$)|[\]}][ ]*:(?:\s|$)|["'\]}]#/m;

/** A line holding nothing but blanks and a comment. */
const BLANK_OR_COMMENT = /^\s*(?:#.*)?\r?$/;

/** A `kind:` line at column 1, and what it says. */
const KIND_LINE = /^kind[ ]*:(?:[ ]+(.*?))?\r?$/;

/**
 * Whether a mapping key, as js-yaml gives it (a string), is one the full parser compares as
 * written: a string, or a number, boolean or null written as `String(value)` prints it. A
 * key like `0x10`, `True` or `~` equals another written otherwise (`16`, `true`, `null`),
 * which the full parser reports as a duplicate key and js-yaml cannot see.
 */
function canonicalKey(key: string): boolean {
  if (!/^(?:[-+.~0-9]|(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$)/.test(key)) return true;
  for (const type of CORE_TYPES) {
    if (!type.resolve(key)) continue;
    const value = type.construct(key) as unknown;
    return !(value instanceof Written) && value !== null;
  }
  return true;
}

/**
 * Starts reading `text` on the YAML helper thread before {@link fastDocuments} is asked for
 * it (split-load.ts `readAhead`), when the fast path is the one that will read it.
 */
export function readAheadIfPlain(text: string, file: string): void {
  if (isPlain(text)) readAhead(text, file);
}

/** The text {@link isPlain} looked at last, and what it found. */
let lastLooked: { text: string; plain: boolean } | undefined;

/**
 * Whether the fast path may read `text` (no {@link NOT_PLAIN} construct). Remembers the
 * last text: the same text is asked about again when it was read ahead, and the scan of a
 * 100 kB file costs a few milliseconds.
 */
function isPlain(text: string): boolean {
  if (lastLooked?.text !== text) lastLooked = { text, plain: !NOT_PLAIN.test(text) };
  return lastLooked.plain;
}

/** Thrown inside the walk when a variable cannot be interpolated: the full path reports it. */
class Fallback extends Error {}

/**
 * The file's documents on the fast path, or undefined when the full parser must read it.
 * `slowLocators` parses the file with the full parser and returns the locators of its
 * non-empty documents, in order; it is called at most once, on the first position asked for.
 */
export function fastDocuments(
  text: string,
  file: string,
  lookup: VariableLookup | undefined,
  slowLocators: () => Locator[],
): FastDocument[] | undefined {
  if (!isPlain(text)) return undefined;
  let loaded: unknown[];
  let written: boolean;
  try {
    ({ values: loaded, written } = loadDocuments(text, file));
  } catch {
    return undefined;
  }
  // Values already are what the full path gives unless a scalar kept its written text or a
  // string may interpolate: then (only) every value is walked (issue 18: 1,000 objects).
  const walk = written || (lookup !== undefined && mayInterpolate(text));
  const spans = documentSpans(text);
  if (spans.length !== loaded.length) return undefined;
  let slow: Locator[] | undefined;
  const docs: FastDocument[] = [];
  try {
    for (const [i, raw] of loaded.entries()) {
      const span = spans[i] as Span;
      if (raw === null || raw === undefined) {
        if (span.firstContent !== undefined) return undefined;
        continue;
      }
      if (typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Written) return undefined;
      const value = (walk ? plain(raw, lookup) : raw) as Record<string, unknown>;
      const at = positions(span, value, file);
      if (!at) return undefined;
      const index = docs.length;
      const locate: Locator = (path, where = 'value') => {
        if (path.length === 1 && path[0] === 'kind' && where === 'key') return at.kind;
        slow ??= slowLocators();
        return slow[index]?.(path, where) ?? at.start;
      };
      docs.push({ value, start: at.start, locate });
    }
  } catch (e) {
    if (e instanceof Fallback) return undefined;
    throw e;
  }
  return docs;
}

interface Span {
  /** 0-based line numbers of the document's lines (separators excluded). */
  lines: string[];
  firstLine: number;
  /** Index into `lines` of the first line that is neither blank nor a comment. */
  firstContent?: number;
}

/**
 * The documents of the text, as js-yaml counts them: one after every `---` line, and one
 * before the first when it holds anything but blanks and comments.
 */
function documentSpans(text: string): Span[] {
  const lines = text.split('\n');
  const spans: Span[] = [];
  let current: Span = { lines: [], firstLine: 0 };
  const close = (always: boolean) => {
    if (always || current.firstContent !== undefined) spans.push(current);
  };
  let sawSeparator = false;
  // Indexes, not `lines.entries()`: a pair per line is garbage (11,000 lines for 1,000 objects).
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    if (SEPARATOR.test(line)) {
      close(sawSeparator);
      sawSeparator = true;
      current = { lines: [], firstLine: n + 1 };
      continue;
    }
    if (current.firstContent === undefined && !BLANK_OR_COMMENT.test(line))
      current.firstContent = current.lines.length;
    current.lines.push(line);
  }
  close(sawSeparator);
  return spans;
}

/**
 * The document's start and its `kind` key, from its lines: a block mapping at column 1 whose
 * one `kind:` line says the kind js-yaml read. Undefined when the lines do not say it plainly.
 */
function positions(
  span: Span,
  value: Record<string, unknown>,
  file: string,
): { start: SourcePosition; kind: SourcePosition } | undefined {
  if (span.firstContent === undefined) return undefined;
  const first = span.lines[span.firstContent] ?? '';
  if (!/^[A-Za-z_"']/.test(first)) return undefined;
  let kindLine: number | undefined;
  for (let i = 0; i < span.lines.length; i++) {
    const m = KIND_LINE.exec(span.lines[i] as string);
    if (!m) continue;
    if (kindLine !== undefined) return undefined;
    const written = (m[1] ?? '')
      .replace(/\s+#.*$/, '')
      .trimEnd()
      .replace(/^(["'])(.*)\1$/, '$2');
    if (typeof value.kind !== 'string' || written !== value.kind) return undefined;
    kindLine = i;
  }
  if (kindLine === undefined) return undefined;
  return {
    start: { file, line: span.firstLine + span.firstContent + 1, column: 1 },
    kind: { file, line: span.firstLine + kindLine + 1, column: 1 },
  };
}

/**
 * js-yaml's value as the full path's `toPlain` gives it: numbers and booleans written
 * otherwise keep their text (`rememberText`), string values (never keys) interpolated.
 */
function plain(value: unknown, lookup: VariableLookup | undefined): unknown {
  if (value instanceof Written) return value.value;
  if (typeof value === 'string') {
    if (!lookup || !mayInterpolate(value)) return value;
    const result = interpolate(value, lookup);
    if ('value' in result) return result.value;
    throw new Fallback();
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      keepText(value, i, item, lookup);
      value[i] = plain(item, lookup);
    }
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!canonicalKey(key)) throw new Fallback();
      const item = record[key];
      keepText(record, key, item, lookup);
      record[key] = plain(item, lookup);
    }
    return record;
  }
  return value;
}

/**
 * As the full path: the written text of a number or boolean (not of a null) is kept, and
 * a string that is interpolated is marked so.
 */
function keepText(
  holder: object,
  key: string | number,
  item: unknown,
  lookup: VariableLookup | undefined,
): void {
  if (item instanceof Written && item.value !== null) rememberText(holder, key, item.text);
  else if (lookup && typeof item === 'string' && mayInterpolate(item))
    rememberInterpolated(holder, key, item, lookup);
}
