import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLAIN, abstractSet, renderSet, spelling, toYaml } from '../testing/manifests.arbitrary.js';
import { parseManifestText, type ParsedFile } from './documents.js';
import { fastDocuments } from './fast.js';
import { scalarString } from './scalar-text.js';

/** Every value path of a plain value, keys and indexes, depth first. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => paths(v, [...at, i]))];
  if (value !== null && typeof value === 'object')
    return [at, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [at];
}

/** The fast path took the file and gives the full path's values, texts and positions. */
function expectSameAsFull(
  text: string,
  file = 'f.yaml',
  lookup?: (n: string) => string | undefined,
) {
  const fast = parseManifestText(text, file, lookup);
  const full = parseManifestText(text, file, lookup, { fast: false });
  expectSame(fast, full);
}

function expectSame(fast: ParsedFile, full: ParsedFile) {
  expect(fast.problems).toEqual(full.problems);
  expect(fast.documents.map((d) => d.value)).toEqual(full.documents.map((d) => d.value));
  for (const [i, doc] of fast.documents.entries()) {
    const other = full.documents[i]!;
    expect(doc.start).toEqual(other.start);
    expect(doc.locate(['kind'], 'key')).toEqual(other.locate(['kind'], 'key'));
    for (const path of paths(doc.value)) {
      expect(doc.locate(path)).toEqual(other.locate(path));
      expect(doc.locate(path, 'key')).toEqual(other.locate(path, 'key'));
      const last = path.at(-1);
      if (last === undefined) continue;
      const holder = (p: unknown) =>
        path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], p);
      expect(scalarString(holder(doc.value) as object, last)).toBe(
        scalarString(holder(other.value) as object, last),
      );
    }
  }
}

const slow = () => {
  throw new Error('positions asked for');
};

describe('the fast parse path', () => {
  it('reads plain YAML 1.2 core scalars as the full path does, written text kept', () => {
    const text = [
      'apiVersion: berth/v1',
      'kind: Container  # a comment',
      'metadata: {name: web}',
      'spec:',
      '  env: {A: 1.10, B: True, C: 0o17, D: 0x1F, E: 017, F: ~, G: Null, H: .inf, I: -.INF, J: .nan, K: 1e3, L: +5, M: "1.10", N: yes}',
      '  list: [1.0, FALSE, null, "x"]',
      '  110: key',
      '  __proto__: {polluted: true}',
      '',
    ].join('\n');
    expect(fastDocuments(text, 'f.yaml', undefined, slow)).toBeDefined();
    expectSameAsFull(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('finds each document and its kind key across separators, comments and empty documents', () => {
    const doc = (kind: string) => `apiVersion: berth/v1\nkind: ${kind}\nmetadata:\n  name: a\n`;
    const text = `# head\n\n${doc('Network')}---\n---   # empty\n\n# note\n${doc('"Volume"')}---\n${doc("'BindMount'")}---\n`;
    const fast = fastDocuments(text, 'f.yaml', undefined, slow);
    expect(fast?.map((d) => d.value.kind)).toEqual(['Network', 'Volume', 'BindMount']);
    expectSameAsFull(text);
  });

  it('interpolates string values, not keys, as the full path does', () => {
    const lookup = (n: string) => ({ TAG: '1.2', KEY: 'k' })[n];
    const text = 'kind: Container\nspec: {image: "busybox:${TAG}", $KEY: "${TAG:-x}", n: 3}\n';
    expect(fastDocuments(text, 'f.yaml', lookup, slow)).toBeDefined();
    expectSameAsFull(text, 'f.yaml', lookup);
  });

  it('leaves to the full path what it does not read plainly, which reports it exactly', () => {
    const cases = [
      'kind: Container\nspec: &a {x: 1}\nother: *a\n', // anchors and aliases
      'kind: Container\nbase: {<<: {x: 1}}\n', // merge keys
      'kind: Container\nspec: !!str 1\n', // tags
      'kind: Container\nkind: Volume\n', // duplicate key
      'kind: Container\nspec: [1\n', // syntax error
      'kind: Container\nspec: "${}"\n', // interpolation error
      '- kind: Container\n', // not a mapping
      'null\n', // explicit null document
      'kind:\n  Container\n', // kind not on its key's line
      '--- {kind: Container}\n', // content on the separator line
      'kind: Container\n...\n', // document end marker
      'metadata: {name: a}\n', // no kind
      'apiVersion: berth/v1\n  kind: Container\n', // bad indentation
      'kind: Container\n[a, b]: 1\n', // a collection as a key
      'kind: Container\n? x\n: 1\n', // an explicit key
      'kind: Container\nspec: {image: "a"#c}\n', // no space before a comment
      'kind: Container\nspec: {}#c\n',
      'kind: Container\nspec:\n  0x10: a\n  16: b\n', // duplicate keys by value
      'kind: Container\nspec:\n  true: a\n  True: b\n',
      'kind: Container\nspec:\n  ~: a\n  null: b\n',
      'kind: Container\nspec:\n  1.10: key\n', // a key written otherwise than its value prints
    ];
    const lookup = () => undefined;
    for (const text of cases) {
      expect(fastDocuments(text, 'f.yaml', lookup, slow), text).toBeUndefined();
      expectSameAsFull(text, 'f.yaml', lookup);
    }
  });

  it('agrees with the full path on every one-line edit of a manifest (indents, dashes, comments)', () => {
    const lines = [
      'apiVersion: berth/v1',
      'kind: Container',
      'metadata:',
      '  name: a',
      '  labels:',
      '    x: "1"',
      'spec:',
      '  command:',
      '  - sleep',
      '  - "3600"',
      '  mounts:',
      '  - bindMount: site',
      '    readOnly: true',
      '  ports:',
      '    - "127.0.0.1:80:80"',
      '    - 81',
      '---',
      'kind: Network',
      'metadata: {name: net}',
      '',
    ];
    const edits = [
      (l: string) => ` ${l}`,
      (l: string) => l.replace(/^ /, ''),
      (l: string) => l.replace(/^(\s*)/, '$1- '),
      (l: string) => l.replace(/- /, '-'),
      (l: string) => l.replace(/- /, ''),
      (l: string) => `${l}#c`,
      (l: string) => `${l} #c`,
      (l: string) => l.replace(/: /, ':'),
    ];
    for (const [i, line] of lines.entries()) {
      for (const edit of edits) {
        const changed = [...lines];
        changed[i] = edit(line);
        expectSameAsFull(changed.join('\n'));
        changed.splice(i, 0, edit(line));
        expectSameAsFull(changed.join('\n'));
      }
    }
  });

  it('asks for the full parse once, and only when a position other than kind is asked for', () => {
    let parses = 0;
    const text = 'kind: Network\nmetadata: {name: a}\n---\nkind: Volume\nmetadata: {name: b}\n';
    const docs = fastDocuments(text, 'f.yaml', undefined, () => {
      parses++;
      return parseManifestText(text, 'f.yaml', undefined, { fast: false }).documents.map(
        (d) => d.locate,
      );
    });
    expect(docs?.map((d) => d.locate(['kind'], 'key').line)).toEqual([1, 4]);
    expect(parses).toBe(0);
    expect(docs?.[1]?.locate(['metadata', 'name'])).toEqual({
      file: 'f.yaml',
      line: 5,
      column: 18,
    });
    expect(docs?.[0]?.locate(['metadata', 'name'])).toEqual({
      file: 'f.yaml',
      line: 2,
      column: 18,
    });
    expect(parses).toBe(1);
  });

  it('agrees with the full path on every manifest of the corpus and the examples', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.ya?ml$/.test(name)) files.push(path);
      }
    };
    for (const dir of ['test/corpus', 'examples']) {
      try {
        walk(dir);
      } catch {
        // a folder this checkout does not have
      }
    }
    let fastOnes = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (fastDocuments(text, file, undefined, slow) !== undefined) fastOnes++;
      expectSameAsFull(text, file);
    }
    expect(files.length).toBeGreaterThan(50);
    expect(fastOnes).toBeGreaterThan(files.length / 3);
  });

  it('agrees with the full path on generated manifest sets in every spelling', () => {
    fc.assert(
      fc.property(abstractSet, spelling, (set, how) => {
        expectSameAsFull(toYaml(renderSet(set, how)));
        expectSameAsFull(toYaml(renderSet(set, PLAIN)));
      }),
      { numRuns: 60 },
    );
  });
});
