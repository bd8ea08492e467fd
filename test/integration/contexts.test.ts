import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { scratchDockerConfig } from '../support/cluster.js';
import { cleanupProject, uniqueProject } from '../support/docker.js';
import { ENGINE_HOST } from '../support/engine.js';
import { sleeperYaml } from '../support/manifests.js';
import { makePki, startTlsProxy } from '../support/tls-proxy.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Docker contexts for real: contexts made by `docker context create` in a scratch
 * DOCKER_CONFIG, pointing at the host engine through its socket, through a TLS endpoint
 * that demands a client certificate, and through ssh (`docker system dial-stdio`).
 */
const { work, dir, env, contexts } = scratchDockerConfig('contexts');
const project = uniqueProject('ctx');
let proxy: Awaited<ReturnType<typeof startTlsProxy>>;

beforeAll(async () => {
  mkdirSync(dir);
  writeFileSync(join(dir, 'app.yaml'), sleeperYaml('one'));
  const pki = makePki(work);
  proxy = await startTlsProxy(pki);
  const tcp = `host=tcp://127.0.0.1:${proxy.port}`;
  const client = `cert=${pki.clientCert},key=${pki.clientKey}`;
  await contexts('create', 'host', '--docker', `host=${ENGINE_HOST}`);
  await contexts('create', 'tls', '--docker', `${tcp},ca=${pki.ca},${client}`);
  await contexts('create', 'tls-skip', '--docker', `${tcp},${client},skip-tls-verify=true`);
  await contexts('create', 'tls-untrusted', '--docker', `${tcp},${client}`);
  await contexts('create', 'far', '--docker', 'host=ssh://me@far.example:2222');
});

afterAll(async () => {
  await proxy?.close();
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

const names = (stdout: string) =>
  (JSON.parse(stdout) as { items: { name: string }[] }).items.map((i) => i.name);

describe('choosing a Docker context', () => {
  it('--context applies through the context, even with DOCKER_HOST pointing elsewhere', async () => {
    const r = await berth(['--context', 'host', 'apply', '-f', dir, '-p', project], {
      env: { ...env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ps = await run('docker', ['ps', '--filter', `label=berth.project=${project}`, '-q']);
    expect(ps.stdout.trim()).not.toBe('');
  });

  it('DOCKER_HOST beats the current context and DOCKER_CONTEXT, as in the docker CLI', async () => {
    await contexts('use', 'host');
    const viaCurrent = await berth(['get', '-p', project, '-o', 'json'], { env });
    expect(viaCurrent.code).toBe(0);
    expect(names(viaCurrent.stdout)).toContain('one');
    const overridden = await berth(['get', '-p', project, '-o', 'json'], {
      env: { ...env, DOCKER_CONTEXT: 'host', DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(overridden.code).toBe(4);
    expect(overridden.stderr).toContain('/nonexistent/docker.sock');
    await contexts('use', 'default');
    const viaEnv = await berth(['get', '-p', project, '-o', 'json'], {
      env: { ...env, DOCKER_CONTEXT: 'host' },
    });
    expect(names(viaEnv.stdout)).toContain('one');
  });

  it('refuses --engine with --context, and names a missing context', async () => {
    const both = await berth(['--context', 'host', '--engine', 'unix:///x.sock', 'get'], { env });
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('cannot specify both --engine and --context');
    const missing = await berth(['--context', 'nope', 'get', '-p', project], { env });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('context "nope": context not found');
  });
});

describe('tcp with TLS from the context', () => {
  it('uses the context CA and client certificate', async () => {
    const r = await berth(['--context', 'tls', 'get', '-p', project, '-o', 'json'], { env });
    expect(r.stderr).toBe('');
    expect(names(r.stdout)).toContain('one');
  });

  it('applies over TLS (dockerode path included): a no-op apply', async () => {
    const r = await berth(['--context', 'tls', 'apply', '-f', dir, '-p', project], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('honours SkipTLSVerify, and checks the server without it', async () => {
    const skip = await berth(['--context', 'tls-skip', 'get', '-p', project, '-o', 'json'], {
      env,
    });
    expect(names(skip.stdout)).toContain('one');
    const untrusted = await berth(['--context', 'tls-untrusted', 'get', '-p', project], { env });
    expect(untrusted.code).toBe(4);
    expect(untrusted.stderr).toMatch(/certificate/i);
  });
});

describe('ssh endpoints', () => {
  it('reach the engine through ssh … docker system dial-stdio', async () => {
    // A stand-in for ssh: records its arguments, then runs the remote command here.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    const log = join(work, 'ssh.log');
    writeFileSync(
      join(bin, 'ssh'),
      `#!/bin/sh\necho "$@" >> ${log}\nwhile [ "$1" != "--" ]; do shift; done\nshift 2\nDOCKER_CONFIG=/nonexistent DOCKER_HOST=${ENGINE_HOST} exec "$@"\n`,
    );
    chmodSync(join(bin, 'ssh'), 0o755);
    const { stdout } = await run(
      process.execPath,
      [join(ROOT, 'bin/berth.mjs'), '--context', 'far', 'get', '-p', project, '-o', 'json'],
      { env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` } },
    );
    expect(names(stdout)).toContain('one');
    expect(readFileSync(log, 'utf8').split('\n')[0]).toBe(
      '-o ConnectTimeout=30 -T -l me -p 2222 -- far.example docker system dial-stdio',
    );
  });

  it('says what ssh said when it cannot log in', async () => {
    const bin = join(work, 'bin-fail');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'ssh'),
      '#!/bin/sh\necho "Permission denied (publickey)." >&2\nexit 255\n',
    );
    chmodSync(join(bin, 'ssh'), 0o755);
    const r = await run(
      process.execPath,
      [join(ROOT, 'bin/berth.mjs'), '--context', 'far', 'get', '-p', project],
      { env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` } },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('Permission denied (publickey)');
  });
});
