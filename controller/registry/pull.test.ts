import { describe, expect, it } from 'vitest';
import type { ObservedImage } from '../engine/engine.js';
import { parseImageRef, verifyDigest } from './pull.js';

const digest = `sha256:${'a'.repeat(64)}`;
const image = (repoDigests: string[]): ObservedImage => ({
  id: 'sha256:1',
  repoTags: [],
  repoDigests,
  labels: {},
  createdAt: 0,
});

describe('parseImageRef', () => {
  it('splits repository, tag and digest, ports included', () => {
    expect(parseImageRef(`127.0.0.1:5000/a/b:1@${digest}`)).toEqual({
      repo: '127.0.0.1:5000/a/b',
      tag: '1',
      digest,
    });
    expect(parseImageRef('127.0.0.1:5000/a/b')).toEqual({ repo: '127.0.0.1:5000/a/b' });
    expect(parseImageRef(`busybox@${digest}`)).toEqual({ repo: 'busybox', digest });
  });
});

describe('verifyDigest', () => {
  it('passes when the image holds the pinned digest, in short or long repository form', () => {
    expect(() => verifyDigest(`busybox:1@${digest}`, image([`busybox@${digest}`]))).not.toThrow();
    expect(() =>
      verifyDigest(`docker.io/library/busybox@${digest}`, image([`busybox@${digest}`])),
    ).not.toThrow();
    expect(() => verifyDigest('busybox:1', image([]))).not.toThrow();
  });

  it('fails with E_IMAGE_PULL "digest mismatch" otherwise', () => {
    const other = `busybox@sha256:${'b'.repeat(64)}`;
    expect(() => verifyDigest(`busybox@${digest}`, image([other]))).toThrow(/digest mismatch/);
    try {
      verifyDigest(`busybox@${digest}`, image([other]));
    } catch (e) {
      expect((e as { code: string }).code).toBe('E_IMAGE_PULL');
    }
  });
});
