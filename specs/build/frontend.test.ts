import { describe, expect, it } from 'vitest';
import { frontendDirective } from './frontend.js';

describe('frontendDirective', () => {
  it('finds a syntax directive at the top, in any spelling BuildKit reads', () => {
    expect(frontendDirective('# syntax=docker/dockerfile:1\nFROM scratch\n')).toEqual({
      line: 1,
      column: 1,
      image: 'docker/dockerfile:1',
    });
    expect(frontendDirective('#SYNTAX = docker/dockerfile:1.4 x\r\nFROM scratch')).toMatchObject({
      image: 'docker/dockerfile:1.4',
    });
    expect(frontendDirective('# escape=`\n  #syntax=a/b\nFROM scratch')).toEqual({
      line: 2,
      column: 3,
      image: 'a/b',
    });
    expect(frontendDirective('\uFEFF\n# a comment\n\n# syntax=a/b\nFROM x')?.line).toBe(4);
  });

  it('ignores comments after the first instruction and other directives', () => {
    expect(frontendDirective('FROM scratch\n# syntax=docker/dockerfile:1\n')).toBeUndefined();
    expect(frontendDirective('# escape=\\\nFROM scratch\n')).toBeUndefined();
    expect(frontendDirective('# syntax=\nFROM scratch\n')).toBeUndefined();
    expect(frontendDirective('')).toBeUndefined();
  });
});
