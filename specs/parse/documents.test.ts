import { describe, expect, it } from 'vitest';
import { parseManifestText } from './documents.js';

describe('parseManifestText', () => {
  it('skips empty documents and keeps positions of values and keys', () => {
    const text =
      '---\n# only a comment\n---\nkind: Volume\nmetadata:\n  name: data\n  labels: {a: "1"}\n---\n';
    const { documents, problems } = parseManifestText(text, 'f.yaml');
    expect(problems).toEqual([]);
    expect(documents).toHaveLength(1);
    const [doc] = documents;
    expect(doc?.value).toEqual({ kind: 'Volume', metadata: { name: 'data', labels: { a: '1' } } });
    expect(doc?.start).toEqual({ file: 'f.yaml', line: 4, column: 1 });
    expect(doc?.locate(['metadata', 'labels', 'a'])).toEqual({
      file: 'f.yaml',
      line: 7,
      column: 15,
    });
    expect(doc?.locate(['metadata', 'labels', 'a'], 'key')).toEqual({
      file: 'f.yaml',
      line: 7,
      column: 12,
    });
    // A path that leads nowhere points at the deepest node that exists.
    expect(doc?.locate(['metadata', 'missing'])).toEqual({ file: 'f.yaml', line: 6, column: 3 });
  });

  it('reports a [ left open once, where it opened, not once per token after it (F662)', () => {
    const text = [
      'kind: Container',
      'metadata: {name: web}',
      'spec:',
      '  image: app:1',
      '  args:',
      '    - sh',
      '    - -c',
      '    - echo "$$MODE $$(cat /run/secrets/x)" > /www/index.html',
      '  env: [oops',
      '    MODE: ${MODE:-prod}',
      '    EXTRA: "1"',
      '  ports:',
      '    - 127.0.0.1:18761:80',
      '---',
      'kind: Volume',
      'metadata: {name: data}',
      'spec: {a: [b}',
    ].join('\n');
    const { documents, problems } = parseManifestText(text, 'f.yaml');
    expect(problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [9, 8, 'E_YAML_SYNTAX'],
      [17, 11, 'E_YAML_SYNTAX'],
    ]);
    expect(problems[0]?.message).toMatch(/a \[ list is not closed with \]/);
    expect(documents).toHaveLength(0);
  });

  it('keeps the good documents of a file when another is broken', () => {
    const text = 'a: 1\n---\nb: [1\n---\nc: 3\n';
    const { documents, problems } = parseManifestText(text, 'f.yaml');
    expect(documents.map((d) => d.value)).toEqual([{ a: 1 }, { c: 3 }]);
    expect(problems.map((p) => p.code)).toEqual(['E_YAML_SYNTAX']);
  });

  it('allows core tags and a few aliases, refuses other tags', () => {
    const ok = parseManifestText('a: &x !!str 1\nb: *x\nc: !!int "2"\n', 'f.yaml');
    expect(ok.problems).toEqual([]);
    expect(ok.documents[0]?.value).toEqual({ a: '1', b: '1', c: 2 });
    const bad = parseManifestText('a: !!set {x}\nb: !env HOME\n', 'f.yaml');
    expect(bad.problems.map((p) => [p.line, p.code])).toEqual([
      [1, 'E_YAML_TAG'],
      [2, 'E_YAML_TAG'],
    ]);
    expect(bad.documents).toEqual([]);
  });
});
