import { LineCounter, isAlias, isNode, parseAllDocuments, visit } from 'yaml';
import type { Document, Node } from 'yaml';
import type { SourcePosition } from '../model.js';
import type { Problem, ProblemCode } from '../problems.js';
import { locator } from './locate.js';
import type { Locator } from './locate.js';

/** One non-empty YAML document of a manifest file, as plain data plus a way back to positions. */
export interface ParsedDocument {
  value: unknown;
  locate: Locator;
  /** Where the document's content starts. */
  start: SourcePosition;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  problems: Problem[];
}

/**
 * Alias expansions allowed per document. Hand-written manifests use a few anchors at most;
 * a "billion laughs" document needs thousands, and yaml refuses past this bound.
 */
export const MAX_ALIAS_COUNT = 100;

/** Tags of plain YAML (the core schema); anything else is refused rather than obeyed. */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/**
 * Parses multi-document YAML strictly: syntax errors, duplicate keys, non-core tags and
 * alias bombs become problems at the offending node; a document with any of them is
 * dropped, the others are kept. Empty documents are skipped. Never throws.
 */
export function parseManifestText(text: string, file: string): ParsedFile {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  const result: ParsedFile = { documents: [], problems: [] };
  for (const doc of docs) {
    const at = (offset: number): SourcePosition => {
      const { line, col } = lineCounter.linePos(offset);
      return { file, line, column: col };
    };
    const problems = documentProblems(doc, at);
    result.problems.push(...problems);
    if (problems.length > 0 || isEmpty(doc)) continue;
    const value = toPlain(doc, at, result.problems);
    if (value === FAILED) continue;
    const start = at((doc.contents as Node | null)?.range?.[0] ?? 0);
    result.documents.push({ value, locate: locator(doc, lineCounter, file), start });
  }
  return result;
}

function documentProblems(doc: Document, at: (offset: number) => SourcePosition): Problem[] {
  const syntax: Problem[] = doc.errors.map((error) => {
    const code: ProblemCode =
      error.code === 'DUPLICATE_KEY' ? 'E_YAML_DUPLICATE_KEY' : 'E_YAML_SYNTAX';
    const message =
      code === 'E_YAML_DUPLICATE_KEY'
        ? 'this key appears twice in the same mapping'
        : firstLine(error.message);
    return { ...at(error.pos[0]), code, message };
  });
  // One mistake often trips several parser errors at the same spot; the first says it best.
  const problems = syntax.filter(
    (p, i) =>
      syntax.findIndex((q) => q.line === p.line && q.column === p.column && q.code === p.code) ===
      i,
  );
  visit(doc, {
    Node(_key, node) {
      if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
        problems.push({
          ...at(node.range?.[0] ?? 0),
          code: 'E_YAML_TAG',
          message: `the tag ${node.tag} is not plain YAML; remove it`,
        });
      }
    },
  });
  return problems;
}

const FAILED = Symbol('failed');

function toPlain(
  doc: Document,
  at: (offset: number) => SourcePosition,
  problems: Problem[],
): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    let offset = 0;
    visit(doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const alias = error instanceof ReferenceError && /alias/i.test(error.message);
    problems.push({
      ...at(offset),
      code: alias ? 'E_YAML_ALIAS' : 'E_YAML_SYNTAX',
      message: alias
        ? `aliases expand to too many nodes (over ${MAX_ALIAS_COUNT}); this looks like an alias bomb`
        : firstLine(String(error)),
    });
    return FAILED;
  }
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

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
