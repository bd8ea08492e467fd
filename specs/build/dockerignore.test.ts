import { describe, expect, it } from 'vitest';
import { isExcluded, parseDockerignore } from './dockerignore.js';

const excluded = (rules: string, path: string): boolean =>
  isExcluded(parseDockerignore(rules), path);

describe('.dockerignore matching', () => {
  it('skips comments and blank lines', () => {
    expect(parseDockerignore('# comment\n\n  \nfoo\n').map((r) => r.pattern)).toEqual(['foo']);
  });

  it('matches relative to the context root, with leading / and ./ cleaned', () => {
    expect(excluded('/foo', 'foo')).toBe(true);
    expect(excluded('./foo', 'foo')).toBe(true);
    expect(excluded('foo', 'bar/foo')).toBe(false);
  });

  it('keeps * and ? within one segment', () => {
    expect(excluded('*.log', 'a.log')).toBe(true);
    expect(excluded('*.log', 'dir/a.log')).toBe(false);
    expect(excluded('*/*.log', 'dir/a.log')).toBe(true);
    expect(excluded('a?c', 'abc')).toBe(true);
    expect(excluded('a?c', 'a/c')).toBe(false);
  });

  it('lets ** span any number of folders', () => {
    expect(excluded('**/*.log', 'a.log')).toBe(true);
    expect(excluded('**/*.log', 'x/y/z/a.log')).toBe(true);
    expect(excluded('x/**', 'x/y/z')).toBe(true);
    expect(excluded('x/**/z', 'x/z')).toBe(true);
    expect(excluded('x/**/z', 'x/a/b/z')).toBe(true);
    expect(excluded('x/**/z', 'y/a/z')).toBe(false);
  });

  it('excludes everything beneath a matched folder', () => {
    expect(excluded('node_modules', 'node_modules/pkg/index.js')).toBe(true);
    expect(excluded('build/', 'build/out/a.o')).toBe(true);
  });

  it('re-includes with ! and lets the last matching rule win', () => {
    const rules = '*.md\n!README.md\n';
    expect(excluded(rules, 'NOTES.md')).toBe(true);
    expect(excluded(rules, 'README.md')).toBe(false);
    expect(excluded('!README.md\n*.md\n', 'README.md')).toBe(true);
    expect(excluded('docs\n!docs/keep.txt\n', 'docs/keep.txt')).toBe(false);
    expect(excluded('docs\n!docs/keep.txt\n', 'docs/other.txt')).toBe(true);
  });

  it('supports character classes and escapes', () => {
    expect(excluded('file[0-9].txt', 'file3.txt')).toBe(true);
    expect(excluded('file[!0-9].txt', 'file3.txt')).toBe(false);
    expect(excluded('file[!0-9].txt', 'filex.txt')).toBe(true);
    expect(excluded('a\\*b', 'a*b')).toBe(true);
    expect(excluded('a\\*b', 'axb')).toBe(false);
    expect(excluded('a.b', 'axb')).toBe(false);
  });
});
