import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCKER_HUB_SERVER, registryHost, resolveRegistryAuth } from './credentials.js';
import { tempDir } from '../../test/support/temp-dir.js';

function withConfig(config: object): NodeJS.ProcessEnv {
  const dir = tempDir('berth-creds-');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return { DOCKER_CONFIG: dir, PATH: process.env.PATH };
}

const basic = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString('base64');

describe('registryHost', () => {
  it('reads the host from the first component only when it looks like one', () => {
    expect(registryHost('busybox')).toBe('docker.io');
    expect(registryHost('library/busybox:1')).toBe('docker.io');
    expect(registryHost('ghcr.io/o/r:1')).toBe('ghcr.io');
    expect(registryHost('127.0.0.1:5000/r@sha256:abc')).toBe('127.0.0.1:5000');
    expect(registryHost('localhost/berth-busybox:1')).toBe('localhost');
    expect(registryHost('docker.io/library/x')).toBe('docker.io');
  });
});

describe('resolveRegistryAuth', () => {
  it('decodes `auths` base64 credentials, matching keys with scheme and path', async () => {
    const env = withConfig({ auths: { 'https://ghcr.io/v2/': { auth: basic('me', 'pa:ss') } } });
    expect(await resolveRegistryAuth('ghcr.io/o/r:1', env)).toEqual({
      username: 'me',
      password: 'pa:ss',
      serveraddress: 'ghcr.io',
    });
    expect(await resolveRegistryAuth('quay.io/o/r:1', env)).toBeUndefined();
  });

  it('finds Docker Hub credentials under the index key', async () => {
    const env = withConfig({ auths: { [DOCKER_HUB_SERVER]: { auth: basic('hub', 'secret') } } });
    expect(await resolveRegistryAuth('busybox:1', env)).toMatchObject({
      username: 'hub',
      serveraddress: DOCKER_HUB_SERVER,
    });
  });

  it('is undefined without a config file', async () => {
    expect(
      await resolveRegistryAuth('busybox', { DOCKER_CONFIG: '/nonexistent-berth' }),
    ).toBeUndefined();
  });

  it('asks credHelpers before credsStore, with the server on stdin, and reads identity tokens', async () => {
    const bin = tempDir('berth-helper-');
    const helper = (name: string, body: string) => {
      writeFileSync(join(bin, `docker-credential-${name}`), `#!/bin/sh\nread server\n${body}\n`);
      chmodSync(join(bin, `docker-credential-${name}`), 0o755);
    };
    helper(
      'special',
      `echo '{"ServerURL":"'$server'","Username":"<token>","Secret":"tok-'$server'"}'`,
    );
    helper('store', `echo '{"ServerURL":"'$server'","Username":"u","Secret":"s-'$server'"}'`);
    helper('empty', 'echo "credentials not found in native keychain"; exit 1');
    const env = {
      ...withConfig({
        credsStore: 'store',
        credHelpers: { 'ghcr.io': 'special', 'quay.io': 'empty' },
      }),
      PATH: `${bin}:${process.env.PATH}`,
    };
    expect(await resolveRegistryAuth('ghcr.io/o/r', env)).toEqual({
      identitytoken: 'tok-ghcr.io',
      serveraddress: 'ghcr.io',
    });
    expect(await resolveRegistryAuth('busybox', env)).toEqual({
      username: 'u',
      password: `s-${DOCKER_HUB_SERVER}`,
      serveraddress: DOCKER_HUB_SERVER,
    });
    expect(await resolveRegistryAuth('quay.io/o/r', env)).toBeUndefined();
  });

  it('names a failing helper without showing any secret', async () => {
    const bin = tempDir('berth-helper-');
    writeFileSync(
      join(bin, 'docker-credential-broken'),
      '#!/bin/sh\necho "boom secret-123" >&2; exit 3\n',
    );
    chmodSync(join(bin, 'docker-credential-broken'), 0o755);
    const env = { ...withConfig({ credsStore: 'broken' }), PATH: `${bin}:${process.env.PATH}` };
    const failure = await resolveRegistryAuth('busybox', env).catch((e: Error) => e);
    expect(failure).toMatchObject({ code: 'E_IMAGE_PULL' });
    expect((failure as Error).message).toContain('docker-credential-broken');
    expect((failure as Error).message).not.toContain('secret-123');
  });
});
