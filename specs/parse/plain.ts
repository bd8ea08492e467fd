import { isAlias, isMap, isPair, isScalar, isSeq } from './yaml-lib.js';
import type { Alias, Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { SourcePosition } from '../model.js';
import type { Problem } from '../problems.js';
import { interpolate, type VariableLookup } from '../interpolate/resolve.js';
import { mayInterpolate } from '../interpolate/template.js';
import { copyText, rememberInterpolated, rememberText } from './scalar-text.js';

/**
 * Values that aliases may expand to, per document. Hand-written manifests use a few
 * anchors at most (anchors never cross `---`); a "billion laughs" document needs millions.
 */
export const MAX_ALIAS_NODES = 5000;

export interface PlainOptions {
  /** The whole file's text, to find an expression inside a quoted scalar. */
  text: string;
  at: (offset: number) => SourcePosition;
  /** Variables for interpolation of string values; none: strings stay as written. */
  lookup?: VariableLookup | undefined;
  /** Whether another document of the file defines this anchor, to explain an alias to it. */
  anchoredElsewhere: (name: string) => boolean;
}

export interface PlainResult {
  /** Undefined when an alias cannot be expanded (the document is unusable). */
  value?: unknown;
  /** Alias problems (fatal) and interpolation problems (the value keeps the text as written). */
  problems: Problem[];
}

/** Thrown inside the walk when an alias cannot be expanded; caught by `toPlain`. */
class AliasFailure extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/**
 * Turns one YAML document into plain data, as `doc.toJS()` would, plus what berth needs:
 * YAML merge keys (`<<: *base`, `<<: [*a, *b]`, explicit keys win), the source text of
 * numbers and booleans (`scalar-text.ts`), Compose interpolation of string values (never
 * keys), and precise reasons when an alias cannot be expanded.
 */
export function toPlain(doc: Document, options: PlainOptions): PlainResult {
  const walk = new Walk(doc, options);
  try {
    const value = walk.node(doc.contents as Node | null);
    return { value, problems: walk.problems };
  } catch (error) {
    if (error instanceof AliasFailure) return { problems: [error.problem] };
    throw error;
  }
}

class Walk {
  readonly problems: Problem[] = [];
  private expanded = 0;
  /** The aliases being expanded, outermost first, with the nodes they stand for. */
  private readonly expanding: { alias: Alias; target: Node }[] = [];

  constructor(
    private readonly doc: Document,
    private readonly options: PlainOptions,
  ) {}

  node(node: Node | null | undefined): unknown {
    if (this.expanding.length > 0 && ++this.expanded > MAX_ALIAS_NODES) {
      throw this.aliasFailure(
        (this.expanding[0] as { alias: Alias }).alias,
        `aliases expand to more than ${MAX_ALIAS_NODES} values; this looks like an alias bomb`,
      );
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.alias(node);
    if (isScalar(node)) return this.scalar(node);
    if (isMap(node)) return this.map(node);
    if (isSeq(node)) return this.seq(node);
    return null;
  }

  private scalar(node: Scalar): unknown {
    const value = node.value;
    if (typeof value !== 'string' || !this.options.lookup || !mayInterpolate(value)) return value;
    const result = interpolate(value, this.options.lookup);
    if ('value' in result) return result.value;
    const { offset, expression, message, code } = result.error;
    this.problems.push({
      ...this.options.at(this.offsetIn(node, expression, offset)),
      code,
      message,
    });
    return value;
  }

  /** Where an expression sits in the file: found in the scalar's source, else its start. */
  private offsetIn(node: Scalar, expression: string, offset: number): number {
    const [start = 0, end = start] = node.range ?? [];
    const raw = this.options.text.slice(start, end);
    if (node.type === 'PLAIN' && raw === node.source) return start + offset;
    const found = expression === '' ? -1 : raw.indexOf(expression);
    return found >= 0 ? start + found : start;
  }

  private seq(node: YAMLSeq): unknown[] {
    const out: unknown[] = [];
    for (const [index, item] of (node.items as (Node | null)[]).entries()) {
      out.push(this.node(item));
      this.keepText(item, out, index);
    }
    return out;
  }

  private map(node: YAMLMap): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const merges: Record<string, unknown>[] = [];
    for (const pair of node.items as Pair<Node | null, Node | null>[]) {
      if (isMergeKey(pair.key)) {
        merges.push(...this.mergeSources(pair));
        continue;
      }
      const key = this.key(pair);
      setOwn(out, key, this.node(pair.value));
      this.keepText(pair.value, out, key);
    }
    for (const source of merges) {
      for (const key of Object.keys(source)) {
        if (Object.hasOwn(out, key)) continue;
        setOwn(out, key, source[key]);
        copyText(source, key, out, key);
      }
    }
    return out;
  }

  private key(pair: Pair<Node | null, Node | null>): string {
    const key = pair.key;
    if (key === null || key === undefined) return '';
    if (isScalar(key)) {
      if (typeof key.value === 'string') return key.value;
      return key.source ?? String(key.value ?? '');
    }
    const offset = isPair(key) ? 0 : ((key as Node).range?.[0] ?? 0);
    throw new AliasFailure({
      ...this.options.at(offset),
      code: 'E_YAML_SYNTAX',
      message: 'a key must be a plain value, not a list, mapping or alias',
    });
  }

  /** The mappings a `<<` key merges: an alias of a mapping, a mapping, or a list of them. */
  private mergeSources(pair: Pair<Node | null, Node | null>): Record<string, unknown>[] {
    const value = pair.value;
    const nodes = isSeq(value) ? (value.items as (Node | null)[]) : [value];
    return nodes.map((item) => {
      const merged = this.node(item);
      if (merged !== null && typeof merged === 'object' && !Array.isArray(merged)) {
        return merged as Record<string, unknown>;
      }
      const offset = item?.range?.[0] ?? (pair.key as Node).range?.[0] ?? 0;
      throw new AliasFailure({
        ...this.options.at(offset),
        code: 'E_YAML_SYNTAX',
        message: 'a merge key (<<) takes a mapping, an alias of one (<<: *base) or a list of them',
      });
    });
  }

  private alias(node: Alias): unknown {
    const target = node.resolve(this.doc) as Node | undefined;
    if (target === undefined) throw this.aliasFailure(node, this.unknownAnchor(node.source));
    if (this.expanding.some((e) => e.target === target)) {
      throw this.aliasFailure(node, `the alias *${node.source} is inside its own anchor`);
    }
    this.expanding.push({ alias: node, target });
    try {
      return this.node(target);
    } finally {
      this.expanding.pop();
    }
  }

  private unknownAnchor(name: string): string {
    if (this.options.anchoredElsewhere(name)) {
      return `the anchor &${name} is defined in another document of this file; anchors do not cross documents (---), so repeat the value or define the anchor in this document`;
    }
    return `no anchor &${name} is defined before this alias in this document`;
  }

  private aliasFailure(node: Alias, message: string): AliasFailure {
    return new AliasFailure({
      ...this.options.at(node.range?.[0] ?? 0),
      code: 'E_YAML_ALIAS',
      message,
    });
  }

  /** Records the written text of a number or boolean that `String()` would change. */
  private keepText(node: Node | null | undefined, holder: object, key: string | number): void {
    const target = isAlias(node) ? (node.resolve(this.doc) as Node | undefined) : node;
    if (!isScalar(target)) return;
    const value = target.value;
    if (typeof value === 'string' && this.options.lookup && mayInterpolate(value))
      rememberInterpolated(holder, key, value, this.options.lookup);
    if (typeof value !== 'number' && typeof value !== 'boolean') return;
    const text = target.source;
    if (text !== undefined && text !== String(value)) rememberText(holder, key, text);
  }
}

function isMergeKey(key: unknown): boolean {
  return (
    isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && key.type === 'PLAIN'))
  );
}

/** Plain assignment, except that `__proto__` becomes an own key instead of a prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else target[key] = value;
}
