import { describe, expect, it } from 'vitest';
import { resolveEngineAddress } from './engine-address.js';
import { isEngineError } from '../engine.js';

describe('resolveEngineAddress', () => {
  it('defaults to the local socket when neither flag nor DOCKER_HOST is set', () => {
    expect(resolveEngineAddress(undefined, {})).toEqual({
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      display: 'unix:///var/run/docker.sock',
    });
  });

  it('prefers the flag over DOCKER_HOST', () => {
    const a = resolveEngineAddress('unix:///run/podman.sock', {
      DOCKER_HOST: 'tcp://10.0.0.1:2375',
    });
    expect(a).toMatchObject({ kind: 'unix', socketPath: '/run/podman.sock' });
  });

  it('uses DOCKER_HOST when there is no flag', () => {
    const a = resolveEngineAddress(undefined, { DOCKER_HOST: 'tcp://127.0.0.1:2375' });
    expect(a).toEqual({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 2375,
      tls: false,
      display: 'tcp://127.0.0.1:2375',
    });
  });

  it('treats an empty flag or DOCKER_HOST as unset', () => {
    expect(resolveEngineAddress('', { DOCKER_HOST: '' }).display).toBe(
      'unix:///var/run/docker.sock',
    );
  });

  it('accepts a bare absolute socket path', () => {
    expect(resolveEngineAddress('/tmp/x.sock', {}).display).toBe('unix:///tmp/x.sock');
  });

  it('defaults the tcp port to 2375, or 2376 with TLS', () => {
    expect(resolveEngineAddress('tcp://docker.example', {})).toMatchObject({
      port: 2375,
      tls: false,
    });
    expect(
      resolveEngineAddress('tcp://docker.example', {
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: '/c',
      }),
    ).toEqual({
      kind: 'tcp',
      host: 'docker.example',
      port: 2376,
      tls: true,
      certPath: '/c',
      display: 'tcp://docker.example:2376',
    });
  });

  it('turns TLS on for https and keeps it off for DOCKER_TLS_VERIFY=0', () => {
    expect(resolveEngineAddress('https://h:9000', {})).toMatchObject({ tls: true, port: 9000 });
    expect(resolveEngineAddress('tcp://h:1', { DOCKER_TLS_VERIFY: '0' })).toMatchObject({
      tls: false,
    });
  });

  it('handles IPv6 hosts and ignores a trailing slash', () => {
    expect(resolveEngineAddress('tcp://[::1]:2375/', {})).toMatchObject({
      host: '::1',
      display: 'tcp://[::1]:2375',
    });
  });

  it('accepts ssh://[user@]host[:port] as DOCKER_HOST, as docker does', () => {
    expect(resolveEngineAddress(undefined, { DOCKER_HOST: 'ssh://me@host:2200' })).toEqual({
      kind: 'ssh',
      host: 'host',
      user: 'me',
      port: 2200,
      display: 'ssh://me@host:2200',
    });
  });

  it.each(['ssh://me@host/path', 'unix://relative.sock', 'tcp://h:99999', 'nonsense', 'tcp://'])(
    'rejects %s with E_ENGINE_UNREACHABLE naming the address',
    (raw) => {
      let caught: unknown;
      try {
        resolveEngineAddress(raw, {});
      } catch (e) {
        caught = e;
      }
      expect(isEngineError(caught, 'E_ENGINE_UNREACHABLE')).toBe(true);
      expect((caught as Error).message).toContain(raw);
    },
  );
});
