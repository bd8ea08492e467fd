import type { Document, LineCounter, Node, YAMLError } from 'yaml';
import { isAlias, isNode, yamlLib } from './yaml-lib.js';
import type { SourcePosition } from '../model.js';
import type { Problem, ProblemCode } from '../problems.js';
import { isComposeDocument } from './compose-shape.js';
import { DEEPER_LINE_MESSAGE, deeperLineOffset } from './deeper-line.js';
import type { VariableLookup } from '../interpolate/resolve.js';
import { locator } from './locate.js';
import type { Locator } from './locate.js';
import { toPlain } from './plain.js';
import { explainYamlError } from './yaml-messages.js';
import { unclosedOpenings } from './yaml-openings.js';
import { fastDocuments, readAheadIfPlain } from './fast.js';

/** One non-empty YAML document of a manifest file, as plain data plus a way back to positions. */
export interface ParsedDocument {
  value: unknown;
  locate: Locator;
  /** Where the document's content starts. */
  start: SourcePosition;
  /**
   * The document's variables could not all be interpolated (problems already reported):
   * its value keeps those strings as written, and it must not be normalised or applied.
   */
  unresolved?: true;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  problems: Problem[];
}

/** Tags of plain YAML (the core schema); anything else is refused rather than obeyed. */
/**
 * Tags of plain YAML, and `!!merge` on a merge key (`!!merge <<: *base`, as yq and PyYAML write
 * it back; Compose and `berth import` merge it, F138): read as the plain `<<` is.
 */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'merge'].map(
    (t) => `tag:yaml.org,2002:${t}`,
  ),
);

/**
 * Lets the YAML helper thread start on `text` now, while this thread works on something else;
 * the {@link parseManifestText} of the same text and file then uses what it read. Changes
 * nothing that parseManifestText returns; does nothing when there is no helper (fast.ts).
 */
export function parseAhead(text: string, file: string): void {
  readAheadIfPlain(text, file);
}

/**
 * Parses multi-document YAML strictly (plain files on a fast path, `fast.ts`, with the same
 * values and positions): syntax errors, duplicate keys, non-core tags and
 * aliases that cannot expand become problems at the offending node; a document with any
 * of them is dropped, the others are kept. Empty documents are skipped. YAML merge keys
 * (`<<: *base`) are honoured. With `lookup`, string values are interpolated (Compose
 * rules); a document whose variables fail is kept, marked `unresolved`. Never throws.
 * `fast: false` always takes the full path (tests compare the two).
 */
export function parseManifestText(
  text: string,
  file: string,
  lookup?: VariableLookup,
  options: { fast?: boolean } = {},
): ParsedFile {
  const fast =
    options.fast === false
      ? undefined
      : fastDocuments(text, file, lookup, () => fullLocators(text, file));
  if (fast) return { documents: fast, problems: [] };
  const lineCounter = new (yamlLib().LineCounter)();
  const parsed = parseFull(text, lineCounter);
  const docs = parsed;
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const result: ParsedFile = { documents: [], problems: [] };
  const checked = docs.map((doc) => ({ doc, ...documentProblems(doc, at, text) }));
  const anchorDocs = new Map<string, Set<number>>();
  for (const [index, { anchors }] of checked.entries()) {
    for (const anchor of anchors)
      anchorDocs.set(anchor, (anchorDocs.get(anchor) ?? new Set()).add(index));
  }
  for (const [index, { doc, problems }] of checked.entries()) {
    result.problems.push(...problems);
    if (problems.length > 0 || isEmpty(doc)) continue;
    const anchoredElsewhere = (name: string): boolean =>
      [...(anchorDocs.get(name) ?? [])].some((i) => i !== index);
    const plain = toPlain(doc, { text, at, lookup, anchoredElsewhere });
    // A Compose file's variables are not berth's to resolve: validate names the file instead.
    if (isComposeDocument(plain.value)) plain.problems.length = 0;
    result.problems.push(...plain.problems);
    if (plain.value === undefined) continue;
    const start = at((doc.contents as Node | null)?.range?.[0] ?? 0);
    const parsedDoc: ParsedDocument = {
      value: plain.value,
      locate: locator(doc, lineCounter, file),
      start,
    };
    if (plain.problems.length > 0) parsedDoc.unresolved = true;
    result.documents.push(parsedDoc);
  }
  return result;
}

function parseFull(text: string, lineCounter: LineCounter): Document[] {
  const parsed = yamlLib().parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    merge: true,
    prettyErrors: false,
  });
  return Array.isArray(parsed) ? parsed : [];
}

/** Locators of the non-empty documents of a file the fast path read, from the full parser. */
function fullLocators(text: string, file: string): Locator[] {
  const lineCounter = new (yamlLib().LineCounter)();
  return parseFull(text, lineCounter)
    .filter((doc) => !isEmpty(doc))
    .map((doc) => locator(doc, lineCounter, file));
}

function documentProblems(
  doc: Document,
  at: (offset: number) => SourcePosition,
  text: string,
): { problems: Problem[]; anchors: string[] } {
  const codeOf = (error: YAMLError): ProblemCode =>
    error.code === 'DUPLICATE_KEY' ? 'E_YAML_DUPLICATE_KEY' : 'E_YAML_SYNTAX';
  // One mistake often trips several parser errors at the same spot; the first says it best
  // (for constructs left open, the first is the innermost).
  const errors = doc.errors.filter(
    (e, i) => doc.errors.findIndex((f) => f.pos[0] === e.pos[0] && codeOf(f) === codeOf(e)) === i,
  );
  // A quote, `[` or `{` never closed is reported where it opened, not where the parser gave
  // up, which is often the end of the file (F273); the message says where that was.
  const openings = unclosedOpenings(doc, errors);
  // After a quote, `[` or `{` left open, every later token of the document trips the parser
  // once more (F662: one unclosed `[` gave 49 problems); those say nothing the first does not.
  const opens = openings.filter((opened): opened is number => opened !== undefined);
  const firstOpen = opens.length > 0 ? Math.min(...opens) : Infinity;
  const shown = errors.flatMap((error, i) =>
    openings[i] !== undefined || error.pos[0] < firstOpen ? [{ error, opened: openings[i] }] : [],
  );
  const problems: Problem[] = shown.map(({ error, opened }) => {
    const code = codeOf(error);
    const deeper = deeperLineOffset(error, doc.errors, text);
    if (deeper !== undefined) return { ...at(deeper), code, message: DEEPER_LINE_MESSAGE };
    const stopped = opened === undefined ? undefined : at(error.pos[0]);
    const message =
      code === 'E_YAML_DUPLICATE_KEY'
        ? 'this key appears twice in the same mapping'
        : explainYamlError(error, stopped && `${stopped.line}:${stopped.column}`);
    return { ...at(opened ?? error.pos[0]), code, message };
  });
  const anchors: string[] = [];
  yamlLib().visit(doc, {
    Node(_key, node) {
      if (node.anchor !== undefined) anchors.push(node.anchor);
      if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
        problems.push({
          ...at(node.range?.[0] ?? 0),
          code: 'E_YAML_TAG',
          message: `the tag ${node.tag} is not plain YAML; remove it`,
        });
      }
    },
  });
  return { problems, anchors };
}

function isEmpty(doc: Document): boolean {
  const contents = doc.contents as unknown;
  if (contents === null || contents === undefined) return true;
  return (
    isNode(contents) &&
    !isAlias(contents) &&
    'value' in contents &&
    contents.value === null &&
    (contents.range?.[0] ?? 0) === (contents.range?.[1] ?? 0)
  );
}
