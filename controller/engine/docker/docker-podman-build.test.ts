import { describe, expect, it } from 'vitest';
import { buildLabelsQuery } from './docker-podman-build.js';

describe('buildLabelsQuery', () => {
  const labels = { 'berth.project': 'p', 'berth.kind': 'Image', 'a.b': 'x=y' };

  it('gives Docker the labels as they are (dockerode sends an object as JSON)', () => {
    expect(buildLabelsQuery(labels, false)).toBe(labels);
  });

  it('gives Podman a JSON array of key=value sorted by key, the same for any order of keys', () => {
    const expected = '["a.b=x=y","berth.kind=Image","berth.project=p"]';
    expect(buildLabelsQuery(labels, true)).toBe(expected);
    const reordered = { 'berth.kind': 'Image', 'a.b': 'x=y', 'berth.project': 'p' };
    expect(buildLabelsQuery(reordered, true)).toBe(expected);
  });
});
