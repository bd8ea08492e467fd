import type { Document, Node, YAMLError } from 'yaml';
import { isMap, isScalar, isSeq, yamlLib } from './yaml-lib.js';

/** A construct a syntax error can say is never closed: a quoted value, a flow `[ ]` or `{ }`. */
type Unclosed = 'quote' | 'sequence' | 'map';

/** What an error says is never closed, if that is what it says. */
function unclosedKind(error: YAMLError): Unclosed | undefined {
  if (error.code === 'MISSING_CHAR' && /closing .?quote/i.test(error.message)) return 'quote';
  if (error.code !== 'BAD_INDENT' && error.code !== 'MISSING_CHAR') return undefined;
  const flow = /^Flow (sequence|map)\b/.exec(error.message);
  return flow ? (flow[1] as 'sequence' | 'map') : undefined;
}

function nodeKind(node: Node): Unclosed | undefined {
  if (isScalar(node))
    return node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 'quote' : undefined;
  if (isSeq(node) && node.flow) return 'sequence';
  if (isMap(node) && node.flow) return 'map';
  return undefined;
}

/**
 * For each error about a construct never closed, the offset where the construct opened (its
 * quote, `[` or `{`); undefined for other errors, or when no such construct is found. The
 * `yaml` package reports these where it gave up — often the end of the file (F273: a quote
 * opened on line 4 of 6 was reported at 7:1) — and the node it built for the construct ends
 * exactly there. Several constructs can end at one spot (`[1, {a: [2` at the end): the
 * errors come innermost first, and each takes the innermost construct not taken yet.
 */
export function unclosedOpenings(
  doc: Document,
  errors: readonly YAMLError[],
): (number | undefined)[] {
  const open: { kind: Unclosed; start: number; end: number }[] = [];
  yamlLib().visit(doc, {
    Node(_key, node) {
      const kind = nodeKind(node);
      if (kind && node.range) open.push({ kind, start: node.range[0], end: node.range[1] });
    },
  });
  const taken = new Set<(typeof open)[number]>();
  return errors.map((error) => {
    const kind = unclosedKind(error);
    const chosen = open
      .filter((n) => n.kind === kind && n.end === error.pos[0] && !taken.has(n))
      .sort((a, b) => b.start - a.start)[0];
    if (!chosen) return undefined;
    taken.add(chosen);
    return chosen.start;
  });
}
