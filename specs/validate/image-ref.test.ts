import { describe, expect, it } from 'vitest';
import { imageRefProblem } from './image-ref.js';

const SHA = 'a'.repeat(64);

describe('imageRefProblem (distribution reference grammar, F195)', () => {
  it.each([
    'busybox',
    'busybox:1.36',
    'library/busybox:latest',
    'localhost/berth-busybox:1',
    'localhost:5000/team/app:v1.2_3-rc',
    '127.0.0.1:15012/adv12/app:1',
    'ghcr.io/owner/my_app__x.y-z:tag',
    'Registry.Example.com/app:1',
    '[::1]:5000/app:1',
    `app@sha256:${SHA}`,
    `app:1@sha256:${SHA}`,
  ])('accepts %s', (ref) => {
    expect(imageRefProblem(ref)).toBeUndefined();
  });

  it.each([
    ['MyImage:1', /lower-case/],
    ['a:b:c:d', /tag "b:c:d"|registry|path component/],
    ['localhost/x:tag with space', /tag/],
    ['x@sha256:zz', /digest/],
    [`x@sha256:${'a'.repeat(63)}`, /64 hex digits/],
    ['localhost/x:-bad', /tag "-bad"/],
    ['-lead/x:1', /path component/],
    ['localhost//x:1', /empty component/],
    ['x:', /tag ""/],
    [':1', /empty/],
    ['Local/Web:1', /lower-case/],
    ['app/', /empty component/],
  ])('refuses %s', (ref, why) => {
    expect(imageRefProblem(ref)).toMatch(why);
  });
});
