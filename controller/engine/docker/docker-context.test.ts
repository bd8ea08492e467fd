import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDockerContext, resolveContextName, resolveEngineTarget } from './docker-context.js';
import { isEngineError } from '../engine.js';
import { sshCommand } from './docker-ssh.js';
import { httpTarget } from './docker-connect.js';

let home: string;
let env: NodeJS.ProcessEnv;

/** Writes a context the way `docker context create` stores it (checked against docker 28.2). */
function context(name: string, host: string, opts: { skip?: boolean; tls?: string[] } = {}) {
  const id = createHash('sha256').update(name).digest('hex');
  const meta = join(home, '.docker', 'contexts', 'meta', id);
  mkdirSync(meta, { recursive: true });
  writeFileSync(
    join(meta, 'meta.json'),
    JSON.stringify({
      Name: name,
      Metadata: {},
      Endpoints: { docker: { Host: host, SkipTLSVerify: opts.skip ?? false } },
    }),
  );
  if (!opts.tls) return;
  const tls = join(home, '.docker', 'contexts', 'tls', id, 'docker');
  mkdirSync(tls, { recursive: true });
  for (const f of opts.tls) writeFileSync(join(tls, `${f}.pem`), `${f} of ${name}\n`);
}

function useContext(name: string) {
  writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: name }));
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'berth-ctx-'));
  mkdirSync(join(home, '.docker'));
  env = { HOME: home };
  context('remote', 'tcp://10.1.2.3:2375');
  context('local', 'unix:///run/other.sock');
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('which context (the docker CLI precedence)', () => {
  it('is default with no flag, variable or current context', () => {
    expect(resolveContextName({}, env)).toBe('default');
    expect(resolveEngineTarget({}, env).display).toBe('unix:///var/run/docker.sock');
  });

  it('follows currentContext of config.json', () => {
    useContext('remote');
    expect(resolveEngineTarget({}, env)).toMatchObject({
      kind: 'tcp',
      host: '10.1.2.3',
      port: 2375,
      tls: false,
      context: 'remote',
    });
  });

  it('DOCKER_CONTEXT beats the current context; DOCKER_HOST beats both', () => {
    useContext('remote');
    env.DOCKER_CONTEXT = 'local';
    expect(resolveEngineTarget({}, env)).toMatchObject({ socketPath: '/run/other.sock' });
    env.DOCKER_HOST = 'unix:///run/host.sock';
    expect(resolveContextName({}, env)).toBe('default');
    expect(resolveEngineTarget({}, env).display).toBe('unix:///run/host.sock');
  });

  it('--context beats DOCKER_HOST; --engine means the default context', () => {
    env.DOCKER_HOST = 'unix:///run/host.sock';
    env.DOCKER_CONTEXT = 'local';
    expect(resolveEngineTarget({ context: 'remote' }, env).display).toBe('tcp://10.1.2.3:2375');
    expect(resolveEngineTarget({ engine: 'unix:///run/flag.sock' }, env).display).toBe(
      'unix:///run/flag.sock',
    );
    expect(resolveEngineTarget({ context: 'default' }, env).display).toBe('unix:///run/host.sock');
  });

  it('reads the store under DOCKER_CONFIG when it is set', () => {
    const other = mkdtempSync(join(tmpdir(), 'berth-ctx-cfg-'));
    try {
      env.DOCKER_CONFIG = other;
      env.DOCKER_CONTEXT = 'remote';
      expect(() => resolveEngineTarget({}, env)).toThrow(/context "remote": context not found/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('names a missing context as an unreachable engine (exit 4), as docker does', () => {
    try {
      resolveEngineTarget({ context: 'nope' }, env);
      expect.unreachable();
    } catch (e) {
      expect(isEngineError(e, 'E_ENGINE_UNREACHABLE')).toBe(true);
      expect((e as Error).message).toMatch(/^context "nope": context not found/);
    }
  });

  it('a broken config.json is an error naming the file', () => {
    writeFileSync(join(home, '.docker', 'config.json'), '{');
    expect(() => resolveEngineTarget({}, env)).toThrow(/cannot read .*config\.json/);
  });
});

describe('a context endpoint', () => {
  it('takes TLS from the context files, whatever DOCKER_TLS_VERIFY says', () => {
    context('secure', 'tcp://h.example:2376', { tls: ['ca', 'cert', 'key'] });
    const a = readDockerContext('secure', { ...env, DOCKER_TLS_VERIFY: '' });
    const dir = join(home, '.docker', 'contexts', 'tls');
    expect(a).toMatchObject({ kind: 'tcp', host: 'h.example', port: 2376, tls: true });
    expect(a.kind === 'tcp' && a.tlsFiles?.ca?.startsWith(dir)).toBe(true);
    expect(httpTarget(a)).toMatchObject({
      host: 'h.example',
      tls: { ca: Buffer.from('ca of secure\n'), key: Buffer.from('key of secure\n') },
    });
  });

  it('SkipTLSVerify turns TLS on without verification', () => {
    context('skip', 'tcp://h.example:2376', { skip: true });
    const a = readDockerContext('skip', env);
    expect(a).toMatchObject({ tls: true, skipVerify: true });
    expect(httpTarget(a)).toMatchObject({ tls: { rejectUnauthorized: false } });
  });

  it('plain tcp stays plain', () => {
    expect(httpTarget(readDockerContext('remote', env))).toEqual({ host: '10.1.2.3', port: 2375 });
  });

  it('ssh runs docker system dial-stdio as the docker CLI does', () => {
    context('far', 'ssh://deploy@far.example:2222');
    const a = readDockerContext('far', env);
    expect(a).toMatchObject({ kind: 'ssh', host: 'far.example', user: 'deploy', port: 2222 });
    expect(a.kind === 'ssh' && sshCommand(a)).toEqual([
      'ssh',
      '-o',
      'ConnectTimeout=30',
      '-T',
      '-l',
      'deploy',
      '-p',
      '2222',
      '--',
      'far.example',
      'docker',
      'system',
      'dial-stdio',
    ]);
  });

  it('refuses a context without a docker endpoint', () => {
    context('empty', '');
    expect(() => readDockerContext('empty', env)).toThrow(/context empty.*no docker endpoint/);
  });
});
