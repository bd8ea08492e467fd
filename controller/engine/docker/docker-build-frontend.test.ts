import { describe, expect, it } from 'vitest';
import { frontendDirective, withoutFrontend } from './docker-build-frontend.js';

describe('a Dockerfile frontend directive', () => {
  it('is found at the top, past blank lines and comments, in any case', () => {
    expect(frontendDirective('# syntax=docker/dockerfile:1.4\nFROM scratch\n')).toEqual({
      line: 1,
      image: 'docker/dockerfile:1.4',
    });
    expect(frontendDirective('\n# a comment\n#  SYNTAX = x/y:1\nFROM scratch')).toEqual({
      line: 3,
      image: 'x/y:1',
    });
  });

  it('is not a directive after the first instruction, or as a plain comment', () => {
    expect(frontendDirective('FROM scratch\n# syntax=docker/dockerfile:1\n')).toBeUndefined();
    expect(frontendDirective('# mentions # syntax= in passing\nFROM scratch')).toBeUndefined();
  });

  it('becomes a plain comment on the same line; the rest is unchanged', () => {
    const text = '# syntax=docker/dockerfile:1\nFROM scratch\nCOPY a /a\n';
    const out = withoutFrontend(text)!;
    expect(out.directive.image).toBe('docker/dockerfile:1');
    expect(frontendDirective(out.text)).toBeUndefined();
    expect(out.text.split('\n').slice(1)).toEqual(text.split('\n').slice(1));
    expect(withoutFrontend('FROM scratch\n')).toBeUndefined();
  });
});
