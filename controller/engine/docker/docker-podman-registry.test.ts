import { describe, expect, it } from 'vitest';
import { isLoopbackRegistry, plainHttpQuery, registryHost } from './docker-podman-registry.js';

describe('registryHost (as Docker reads a reference)', () => {
  it('is the first component when it holds a dot or a colon, or is localhost', () => {
    expect(registryHost('127.0.0.1:5000/berth/app:1')).toBe('127.0.0.1:5000');
    expect(registryHost('localhost/app')).toBe('localhost');
    expect(registryHost('registry.example.com/team/app@sha256:ab')).toBe('registry.example.com');
  });

  it('is undefined for Docker Hub names', () => {
    expect(registryHost('busybox:1.36')).toBeUndefined();
    expect(registryHost('library/busybox')).toBeUndefined();
    expect(registryHost('localhostx/app')).toBeUndefined();
  });
});

describe('isLoopbackRegistry (Docker treats these as insecure by default)', () => {
  it('holds for localhost and 127.0.0.0/8, with or without a port', () => {
    for (const ref of [
      'localhost:5000/a:1',
      'localhost/a',
      '127.0.0.1:41234/berth/busybox:1',
      '127.1.2.3/a@sha256:00',
      '127.255.255.255:1/a',
    ]) {
      expect(isLoopbackRegistry(ref), ref).toBe(true);
    }
  });

  it('never holds for another registry, a name that only starts like one, or Docker Hub', () => {
    for (const ref of [
      'registry.example.com:5000/a:1',
      '127.0.0.1.example.com/a',
      'localhost.example.com/a',
      '128.0.0.1:5000/a',
      '10.0.0.1:5000/a',
      '127.0.0.256/a',
      '[::1]:5000/a',
      'busybox:1.36',
      'localhost',
    ]) {
      expect(isLoopbackRegistry(ref), ref).toBe(false);
    }
  });
});

describe('plainHttpQuery', () => {
  it('turns TLS verification off on Podman for a loopback registry only', () => {
    expect(plainHttpQuery('127.0.0.1:5000/a:1', true)).toEqual({ tlsVerify: false });
    expect(plainHttpQuery('registry.example.com/a:1', true)).toEqual({});
    expect(plainHttpQuery('busybox:1.36', true)).toEqual({});
  });

  it('asks Docker for nothing (it treats loopback as insecure by itself)', () => {
    expect(plainHttpQuery('127.0.0.1:5000/a:1', false)).toEqual({});
  });
});
