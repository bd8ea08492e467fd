import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import { knownFields } from './schema-fields.js';
import { closestMatch, editDistance } from './suggest.js';

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('imgae', 'image')).toBe(1);
    expect(editDistance('intervl', 'interval')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('is zero only for equal strings and symmetric (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

describe('closestMatch', () => {
  it('suggests a near word, a word in another case, and nothing for a stranger', () => {
    expect(closestMatch('imgae', ['image', 'state', 'env'])).toBe('image');
    expect(closestMatch('always', ['Always', 'OnFailure', 'Never'])).toBe('Always');
    expect(closestMatch('totallyunrelated', ['image', 'state'])).toBeUndefined();
    expect(closestMatch('ab', ['xy'])).toBeUndefined();
  });
});

describe('knownFields', () => {
  it('follows $ref and if/then/else down to the place of a field', () => {
    expect(knownFields('Container', ['spec'])).toContain('image');
    expect(knownFields('Container', ['metadata'])).toEqual(['name', 'labels']);
    expect(knownFields('Container', ['spec', 'mounts', 0])).toEqual(
      expect.arrayContaining(['bindMount', 'volume', 'tmpfs', 'target', 'readOnly']),
    );
    expect(knownFields('Container', ['spec', 'healthcheck'])).toContain('interval');
  });
});

describe('messages with a suggestion', () => {
  it('suggests fields, enum values and kinds, and says to quote a number', async () => {
    const stdin = [
      'apiVersion: berth/v1',
      'kind: Container',
      'metadata: {name: web, labels: {v: 1.10}}',
      'spec: {imgae: x, image: x, restartPolicy: always, args: [sleep, 0755]}',
      '---',
      'apiVersion: berth/v1',
      'kind: Volum',
      'metadata: {name: data}',
    ].join('\n');
    const { problems } = await loadManifests(['-'], { stdin, env: {} });
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '3:35 Container "web": metadata.labels.v must be a string; write it in quotes ("1.10") to keep it as written',
      '4:8 Container "web": spec.imgae is not a known field; did you mean "image"?',
      '4:43 Container "web": spec.restartPolicy must be one of Always, OnFailure, Never; did you mean "Always"?',
      '4:65 Container "web": spec.args[1] must be a string; write it in quotes ("0755") to keep it as written',
      '7:7 Volum "data": kind "Volum" must be one of Image, Network, BindMount, Volume, Container, Secret, Config; did you mean "Volume"?',
    ]);
  });
});

describe("Compose's list form where berth wants a mapping (F816)", () => {
  it('says what to write instead, at each entry, with the code kept', async () => {
    const stdin = [
      'apiVersion: berth/v1',
      'kind: Container',
      'metadata: {name: web, labels: [tier=front]}',
      'spec:',
      '  image: busybox:1',
      '  env: [A=1, "B=x y", TOKEN]',
    ].join('\n');
    const { problems } = await loadManifests(['-'], { stdin, env: {} });
    expect(problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`)).toEqual([
      `3:31 E_SCHEMA Container "web": metadata.labels must be a mapping: write tier: "front" (the list form tier=front is Compose's; berth import converts Compose files)`,
      `6:9 E_SCHEMA Container "web": spec.env[0] is the list form A=1, which is Compose's; spec.env is a mapping: write A: "1" (berth import converts Compose files)`,
      `6:14 E_SCHEMA Container "web": spec.env[1] is the list form B=x y, which is Compose's; spec.env is a mapping: write B: "x y" (berth import converts Compose files)`,
      `6:23 E_SCHEMA Container "web": spec.env[2] is the list form TOKEN, which is Compose's; spec.env is a mapping: write TOKEN: (berth import converts Compose files)`,
    ]);
  });
});
