import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { docker, freePort } from './docker.js';
import { ENGINE_HOST, testEngine } from './engine.js';

const execFileAsync = promisify(execFile);

export interface Registry {
  process: ChildProcess;
  /** `127.0.0.1:PORT` */
  host: string;
  dir: string;
  stop(): void;
}

/**
 * A real registry (Debian's docker-registry) on a free loopback port, storing in `dir`.
 * With `password`, it requires basic auth for user `user`. Docker treats loopback
 * registries as insecure by itself, so plain HTTP works; Podman does not (push to one
 * with {@link pushWithCli}, not `docker push`).
 */
export async function startRegistry(dir: string, password?: string): Promise<Registry> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const port = await freePort();
  let auth = '';
  if (password) {
    const line = execFileSync('htpasswd', ['-Bbn', 'user', password]).toString().trim();
    writeFileSync(join(dir, 'htpasswd'), line + '\n');
    auth = `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  const config = `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`;
  writeFileSync(join(dir, 'config.yml'), config);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const registry: Registry = {
    process: child,
    host: `127.0.0.1:${port}`,
    dir,
    stop: () => child.kill(),
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await fetch(`http://${registry.host}/v2/`).catch(() => undefined);
    if (answer) return registry;
    if (Date.now() > deadline) throw new Error(`registry on ${registry.host} did not answer`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Pushes the local image `ref` to its loopback registry with the engine's own CLI, not
 * berth, as a test's set-up: `docker push` (after `docker login` into a throw-away config
 * when `password` is given, user `user`); on Podman `podman --remote push --tls-verify=false`,
 * since the docker CLI cannot ask Podman for the plain HTTP it refuses loopback registries
 * by default (ENGINE-NOTES.md, "Podman").
 */
export async function pushWithCli(ref: string, password?: string): Promise<void> {
  const host = ref.slice(0, ref.indexOf('/'));
  if (testEngine() === 'podman') {
    const creds = password === undefined ? [] : ['--creds', `user:${password}`];
    const args = ['--remote', '--url', ENGINE_HOST, 'push', '--tls-verify=false', ...creds, ref];
    await execFileAsync('podman', args).catch((e: { stderr?: string; message: string }) => {
      throw new Error(`podman push ${ref}: ${e.stderr?.trim() || e.message}`);
    });
    return;
  }
  if (password === undefined) return void (await docker('push', ref));
  const config = mkdtempSync(join(tmpdir(), 'berth-login-'));
  try {
    execFileSync('docker', ['--config', config, 'login', '-u', 'user', '--password-stdin', host], {
      input: password,
    });
    await docker('--config', config, 'push', ref);
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
}

/**
 * The manifest digest `registry` serves for `repo:tag` (`sha256:…`), read from the registry
 * itself: what a push really left there, whatever the engine recorded locally.
 */
export async function registryDigest(
  registry: Registry,
  repo: string,
  tag: string,
  password?: string,
): Promise<string> {
  const headers: Record<string, string> = {
    Accept: [
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.oci.image.manifest.v1+json',
    ].join(', '),
    ...(password === undefined
      ? {}
      : { Authorization: `Basic ${Buffer.from(`user:${password}`).toString('base64')}` }),
  };
  const answer = await fetch(`http://${registry.host}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers,
  });
  const digest = answer.headers.get('docker-content-digest');
  if (!answer.ok || !digest) throw new Error(`${registry.host} holds no ${repo}:${tag}`);
  return digest;
}
