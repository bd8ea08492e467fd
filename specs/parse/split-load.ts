import { loadCore, type CoreDocuments } from './core-schema.js';
import { SPLIT_BYTES } from './yaml-worker-protocol.js';

/** A document separator line, with nothing after it but spaces or a comment. */
export const SEPARATOR = /^---[ ]*(?:#.*)?\r?$/;

/**
 * Reads YAML text on another thread (yaml-helper.ts). `offer` hands it the text at once and
 * returns `take`, which gives back the documents as {@link loadCore} reads them; undefined
 * when the helper did not read them, could not, or read a scalar that kept its written text
 * (a `Written` does not survive the copy between threads): the caller reads them itself.
 */
export interface YamlLoadHelper {
  offer(text: string, file: string): () => unknown[] | undefined;
}

let helper: YamlLoadHelper | undefined;
let splitBytes = SPLIT_BYTES;

/** The text handed to the helper whole by {@link readAhead}, not yet taken back. */
let ahead: { text: string; file: string; take: () => unknown[] | undefined } | undefined;

/**
 * Lets `loadDocuments` split texts of `minBytes` or more with `yamlHelper` (the CLI's
 * `validate`, issue 12: 1,000 objects ≤ 300 ms on two cores); undefined: every text is read
 * on this thread. Tests lower `minBytes` to split small files too.
 */
export function installYamlHelper(
  yamlHelper: YamlLoadHelper | undefined,
  minBytes = SPLIT_BYTES,
): void {
  helper = yamlHelper;
  splitBytes = minBytes;
}

/**
 * The documents of `text`, as {@link loadCore} reads them (it throws what js-yaml throws).
 * With a helper installed and a large text, the helper reads the documents after the
 * separator line nearest the middle while this thread reads those before it. Documents never
 * share anything across `---` on the fast path (no anchors, no directives), so the two lists
 * joined are the documents of the whole text; the fast path's span count checks it again.
 */
export function loadDocuments(text: string, file: string): CoreDocuments {
  const pending = ahead;
  ahead = undefined;
  if (pending) {
    // Taken back whatever the text: the helper holds one offer at a time.
    const values = pending.take();
    if (pending.text === text && pending.file === file)
      return values ? { values, written: false } : loadCore(text, file);
  }
  const cut = helper && text.length >= splitBytes ? separatorNear(text) : undefined;
  if (!helper || cut === undefined) return loadCore(text, file);
  const take = helper.offer(text.slice(cut), file);
  let first: CoreDocuments;
  try {
    first = loadCore(text.slice(0, cut), file);
  } catch (error) {
    // Taken back even when this half threw, so no answer is left waiting for a later text.
    take();
    throw error;
  }
  const second = take();
  const rest = second ? { values: second, written: false } : loadCore(text.slice(cut), file);
  return { values: [...first.values, ...rest.values], written: first.written || rest.written };
}

/** The offset of the separator line nearest the middle of `text` (after it, else before). */
export function separatorNear(text: string): number | undefined {
  const middle = text.length >> 1;
  for (let at = text.indexOf('\n---', middle); at !== -1; at = text.indexOf('\n---', at + 1))
    if (isSeparatorAt(text, at + 1)) return at + 1;
  for (let at = text.lastIndexOf('\n---', middle); at > 0; at = text.lastIndexOf('\n---', at - 1))
    if (isSeparatorAt(text, at + 1)) return at + 1;
  return undefined;
}

function isSeparatorAt(text: string, start: number): boolean {
  const end = text.indexOf('\n', start);
  return SEPARATOR.test(text.slice(start, end === -1 ? text.length : end));
}

/**
 * Hands the next file's `text` to the helper whole, to be read while this thread works on
 * the file before it (normalising and checking take about as long as reading): the next
 * {@link loadDocuments} of the same text takes the helper's values, or reads the text itself
 * when the helper had not started on it. Does nothing without a helper, for a text below the
 * split size, or while another text is with the helper.
 */
export function readAhead(text: string, file: string): void {
  if (!helper || ahead || text.length < splitBytes) return;
  ahead = { text, file, take: helper.offer(text, file) };
}
