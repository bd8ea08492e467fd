import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, YAMLError } from 'yaml';
import type { ProblemCode } from '../problems.js';
import { unclosedOpenings } from '../parse/yaml-openings.js';

/** A place in a Compose file: the file as given, 1-based line and column. */
export interface Where {
  file: string;
  line: number;
  column: number;
}

/** A mapping or sequence read from YAML; scalars stay plain values. */
export type Tree = Record<string, unknown> | unknown[];

const keyPlaces = new WeakMap<object, Map<string, Where>>();
const nodePlaces = new WeakMap<object, Where>();

/** Where `key` (a mapping key or a sequence index) of `tree` was written, if known. */
export function whereKey(tree: unknown, key: string | number): Where | undefined {
  if (typeof tree !== 'object' || tree === null) return undefined;
  return keyPlaces.get(tree)?.get(String(key));
}

/** Where a mapping or sequence itself starts, if known. */
export function whereNode(tree: unknown): Where | undefined {
  return typeof tree === 'object' && tree !== null ? nodePlaces.get(tree) : undefined;
}

/** Records that `key` of `tree` came from `where` (used when merging trees). */
export function placeKey(tree: object, key: string | number, where: Where | undefined): void {
  if (!where) return;
  let places = keyPlaces.get(tree);
  if (!places) keyPlaces.set(tree, (places = new Map()));
  places.set(String(key), where);
}

/** Records where `tree` starts. */
export function placeNode(tree: object, where: Where | undefined): void {
  if (where) nodePlaces.set(tree, where);
}

/** A code for a problem with Compose input: berth's problem codes, E_COMPOSE for the rest. */
export type ComposeCode = ProblemCode | 'E_COMPOSE';

/** One thing wrong with the Compose input: `file:line:col: message [code]`. */
export interface ComposeProblem {
  where: Where;
  message: string;
  code: ComposeCode;
}

/**
 * The Compose input is not a valid Compose project (`docker compose` refuses it too):
 * `where`/`message`/`code` name the first problem, `problems` every one found (at least the
 * first). Import writes nothing when it is thrown.
 */
export class ComposeInputError extends Error {
  readonly problems: ComposeProblem[];
  constructor(
    readonly where: Where,
    message: string,
    readonly code: ComposeCode = 'E_COMPOSE',
  ) {
    super(message);
    this.problems = [{ where, message, code }];
  }

  /** One error carrying every problem of a non-empty list (in the order given). */
  static of(problems: readonly ComposeProblem[]): ComposeInputError {
    const [first, ...rest] = problems;
    if (!first) throw new Error('ComposeInputError.of needs at least one problem');
    const error = new ComposeInputError(first.where, first.message, first.code);
    error.problems.push(...rest);
    return error;
  }
}

/** Bound on alias expansions per file: Compose files use anchors a lot, bombs use thousands. */
const MAX_EXPANSIONS = 10_000;

/**
 * Parses one Compose file into plain data whose mappings and sequences remember where each
 * key was written (see whereKey). Anchors, aliases and `<<` merge keys are expanded.
 * Throws ComposeInputError for YAML errors and alias bombs.
 */
export function readLocated(
  text: string,
  file: string,
  onUnknownTag: (tag: UnknownTag) => void = () => undefined,
): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined): Where => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { file, line, column: col };
  };
  const error = doc.errors[0];
  if (error) throw notYaml(doc, error, at);
  const budget = { left: MAX_EXPANSIONS, onUnknownTag };
  return convert(doc.contents as Node | null, doc, at, budget, '');
}

/**
 * A YAML tag that is neither plain YAML (`!!str`…) nor a Compose merge tag: the value is
 * read as if untagged (as go-yaml, so Compose v2, reads it; docker-compose 1.29 refuses
 * the file), and import names it as a loss at its place (F241: it was dropped silently).
 */
export interface UnknownTag {
  where: Where;
  tag: string;
  /** Dotted path of the tagged value (`services.web.image`). */
  path: string;
}

interface Walk {
  left: number;
  onUnknownTag: (tag: UnknownTag) => void;
}

function noteUnknownTag(node: Node, at: At, walk: Walk, path: string): void {
  const tag = (node as { tag?: string }).tag;
  if (!tag || tag.startsWith('tag:yaml.org,2002:') || tag === '!reset' || tag === '!override')
    return;
  walk.onUnknownTag({ where: at(node.range?.[0]), tag, path: path || '(top level)' });
}

/**
 * The file's first YAML error; a quote, `[` or `{` never closed is named where it opened, not
 * where the parser gave up (F273, as manifests are read).
 */
function notYaml(doc: Document, error: YAMLError, at: At): ComposeInputError {
  const opened = unclosedOpenings(doc, [error])[0];
  if (opened === undefined)
    return new ComposeInputError(at(error.pos[0]), `not YAML: ${firstLine(error.message)}`);
  const stopped = at(error.pos[0]);
  const where = `still open at ${stopped.line}:${stopped.column}`;
  return new ComposeInputError(at(opened), `not YAML: ${firstLine(error.message)} (${where})`);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

type At = (offset: number | undefined) => Where;

function convert(node: Node | null, doc: Document, at: At, budget: Walk, path: string): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    if (--budget.left < 0)
      throw new ComposeInputError(at(node.range?.[0]), 'too many alias expansions');
    return convert(node.resolve(doc) as Node | null, doc, at, budget, path);
  }
  noteUnknownTag(node, at, budget, path);
  if (isScalar(node)) return node.value;
  if (isSeq(node)) {
    const list: unknown[] = [];
    placeNode(list, at(node.range?.[0]));
    for (const [i, item] of node.items.entries()) {
      // compose-go's reset processor drops a `!reset` item from its sequence (F241).
      if (mergeTagOfNode(item as Node | null) === 'reset') continue;
      placeKey(list, list.length, at((item as Node | null)?.range?.[0]));
      list.push(convert(item as Node, doc, at, budget, `${path}[${i}]`));
    }
    return list;
  }
  if (isMap(node)) return convertMap(node.items, doc, at, budget, node.range?.[0], path);
  return null;
}

function convertMap(
  pairs: unknown[],
  doc: Document,
  at: At,
  budget: Walk,
  start: number | undefined,
  path: string,
): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  placeNode(map, at(start));
  const merged: Record<string, unknown>[] = [];
  for (const pair of pairs) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const value = convert(
      pair.value as Node | null,
      doc,
      at,
      budget,
      path ? `${path}.${key}` : key,
    );
    if (isMergeKey(keyNode)) {
      const sources = Array.isArray(value) ? value : [value];
      // go-yaml v3 (so Compose) refuses anything else; merging nothing would hide a mistake.
      if (!sources.every(isRecord))
        throw new ComposeInputError(
          at(keyNode?.range?.[0]),
          'map merge requires map or sequence of maps as the value',
        );
      merged.push(...sources);
      continue;
    }
    placeKey(map, key, at(keyNode?.range?.[0]));
    const tag = mergeTagOfNode(pair.value as Node | null);
    if (tag) setMergeTag(map, key, tag);
    if (tag !== 'reset') map[key] = value;
  }
  for (const source of merged) {
    for (const [k, v] of Object.entries(source)) {
      if (k in map || mergeTagOf(map, k) === 'reset') continue;
      map[k] = v;
      placeKey(map, k, whereKey(source, k));
    }
  }
  return map;
}

/**
 * Compose's merge tags (compose-spec 13-merge, "Reset value" and "Replace value"):
 * `key: !reset …` takes the key out of what earlier files set (its value is ignored), `key:
 * !override …` replaces what they set instead of merging into it. A `!reset` key is left out
 * of its own mapping; both are remembered per mapping for mergeTrees.
 */
export type MergeTag = 'reset' | 'override';

const mergeTags = new WeakMap<object, Map<string, MergeTag>>();

function mergeTagOfNode(node: Node | null): MergeTag | undefined {
  const tag = (node as { tag?: string } | null)?.tag;
  return tag === '!reset' ? 'reset' : tag === '!override' ? 'override' : undefined;
}

/** The merge tag written on `key` of `tree`, if any. */
export function mergeTagOf(tree: unknown, key: string): MergeTag | undefined {
  return typeof tree === 'object' && tree !== null ? mergeTags.get(tree)?.get(key) : undefined;
}

/** Every key of `tree` written with a merge tag, with its tag. */
export function mergeTagged(tree: object): [string, MergeTag][] {
  return [...(mergeTags.get(tree) ?? [])];
}

/** Records a merge tag on `key` of `tree` (used when a tree is rebuilt, as in normalise). */
export function setMergeTag(tree: object, key: string, tag: MergeTag): void {
  let tags = mergeTags.get(tree);
  if (!tags) mergeTags.set(tree, (tags = new Map()));
  tags.set(key, tag);
}

/** Carries every merge tag of `from` over to `to` (a rebuilt copy of the same mapping). */
export function copyMergeTags(from: object, to: object): void {
  for (const [key, tag] of mergeTagged(from)) setMergeTag(to, key, tag);
}

/**
 * `<<` written plain, or tagged `!!merge <<` (what yq and PyYAML write back, and go-yaml v3,
 * hence Compose, merges too; the yaml library reads that key as a symbol).
 */
function isMergeKey(keyNode: Node | null): boolean {
  if (!isScalar(keyNode)) return false;
  if (keyNode.tag === 'tag:yaml.org,2002:merge') return true;
  return keyNode.value === '<<' && keyNode.type === 'PLAIN';
}

/** A plain object (a YAML mapping). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
