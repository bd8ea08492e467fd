import { describe, expect, it } from 'vitest';
import { parseManifestText } from './documents.js';
import { scalarString } from './scalar-text.js';

const vars: Record<string, string> = { TAG: '1.2' };
const parse = (text: string) => parseManifestText(text, 'f.yaml', (n) => vars[n]);
const problems = (text: string) =>
  parse(text).problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`);

describe('plain values from YAML', () => {
  it('keeps the source text of numbers and booleans for stringification', () => {
    const text =
      'env: {VERSION: 1.10, ZIP: 01234, MODE: 0755, BIG: 12345678901234567890, T: True, N: 8080}\n' +
      'args: [0x1F, 1e3, "1.10"]\n';
    const value = parse(text).documents[0]?.value as {
      env: Record<string, unknown>;
      args: unknown[];
    };
    expect(value.env.VERSION).toBe(1.1);
    const env = Object.keys(value.env).map((k) => scalarString(value.env, k));
    expect(env).toEqual(['1.10', '01234', '0755', '12345678901234567890', 'True', '8080']);
    expect([0, 1, 2].map((i) => scalarString(value.args, i))).toEqual(['0x1F', '1e3', '1.10']);
  });

  it('merges YAML merge keys, explicit keys winning, with positions at the written value', () => {
    const text = [
      'base: &base {A: "1", B: 0755}',
      'more: &more {C: x}',
      'env:',
      '  <<: [*base, *more]',
      '  A: override',
    ].join('\n');
    const [doc] = parse(text).documents;
    const env = (doc?.value as { env: Record<string, unknown> }).env;
    expect(env).toEqual({ A: 'override', B: 755, C: 'x' });
    expect(scalarString(env, 'B')).toBe('0755');
    expect(doc?.locate(['env', 'A'])).toMatchObject({ line: 5, column: 6 });
    expect(doc?.locate(['env', 'B'])).toMatchObject({ line: 1, column: 25 });
    expect(doc?.locate(['env', 'C'], 'key')).toMatchObject({ line: 2, column: 14 });
  });

  it('merges a tagged merge key (!!merge <<, as yq and PyYAML write it) like a plain one (F138)', () => {
    const text = ['base: &base {A: a, B: b}', 'env:', '  !!merge <<: *base', '  A: override'].join(
      '\n',
    );
    expect(problems(text)).toEqual([]);
    const [doc] = parse(text).documents;
    expect((doc?.value as { env: Record<string, unknown> }).env).toEqual({ A: 'override', B: 'b' });
    expect(doc?.locate(['env', 'B'])).toMatchObject({ line: 1, column: 23 });
    expect(problems('a: !!binary aGk=\n')).toEqual([expect.stringMatching(/E_YAML_TAG/)]);
  });

  it('refuses a merge key whose value is not a mapping', () => {
    expect(problems('a: &a [1]\nb:\n  <<: *a\n')).toEqual([
      expect.stringMatching(/^3:7 E_YAML_SYNTAX a merge key \(<<\) takes a mapping/),
    ]);
  });

  it('says that anchors do not cross documents', () => {
    const text = 'env: &shared {A: "1"}\n---\nenv: *shared\n';
    const result = parse(text);
    expect(result.documents).toHaveLength(1);
    expect(problems(text)).toEqual([
      expect.stringMatching(/^3:6 E_YAML_ALIAS the anchor &shared is defined in another document/),
    ]);
    expect(problems('env: *nowhere\n')).toEqual([
      expect.stringMatching(/^1:6 E_YAML_ALIAS no anchor &nowhere is defined/),
    ]);
  });

  it('refuses an alias bomb and an alias inside its own anchor', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const n of ['b', 'c', 'd']) {
      const prev = String.fromCharCode(n.charCodeAt(0) - 1);
      bomb.push(`${n}: &${n} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    expect(problems(bomb.join('\n'))).toEqual([
      expect.stringMatching(/^4:\d+ E_YAML_ALIAS aliases expand to more than 5000 values/),
    ]);
    expect(problems('a: &a [1, *a]\n')).toEqual([
      expect.stringMatching(/^1:11 E_YAML_ALIAS the alias \*a is inside its own anchor/),
    ]);
  });

  it('interpolates string values, never keys, and points into the scalar', () => {
    const result = parse('${TAG}: "image:${TAG}"\nx: "a \\t ${NOPE}"\ny: plain ${MISSING} z\n');
    expect(result.documents[0]?.value).toEqual({
      '${TAG}': 'image:1.2',
      x: 'a \t ${NOPE}',
      y: 'plain ${MISSING} z',
    });
    expect(result.documents[0]?.unresolved).toBe(true);
    expect(result.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '2:10 variable NOPE is not set',
      '3:10 variable MISSING is not set',
    ]);
  });

  it('gives plain explanations of parser errors', () => {
    expect(problems('a:\n\tb: 1\n')).toEqual([
      expect.stringMatching(/^2:1 E_YAML_SYNTAX a tab is used to indent this line/),
    ]);
    expect(problems('a:\n  b: 1\n c: 2\n')).toEqual([
      expect.stringMatching(/^3:1 E_YAML_SYNTAX this line is indented differently/),
    ]);
  });
});
