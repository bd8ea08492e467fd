import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RegistryAuth } from '../engine/engine.js';
import { BerthError } from '../errors.js';

/**
 * Registry credentials the way the docker CLI finds them: `$DOCKER_CONFIG/config.json`
 * (default `~/.docker/config.json`), per registry `credHelpers`, then `credsStore`, then
 * `auths`. Secrets are returned to the caller only; nothing here logs or puts them in
 * an error message.
 */

/** The key Docker Hub credentials are stored under, and what its helpers are asked for. */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
/** How long a credential helper may take (they may prompt an agent or a keychain). */
const HELPER_TIMEOUT_MS = 30_000;

interface DockerConfigFile {
  auths?: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string }
  >;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/**
 * The registry host of an image reference: its first path component when that looks like
 * a host (has a dot or a colon, or is `localhost`), else Docker Hub (`docker.io`).
 */
export function registryHost(ref: string): string {
  const slash = ref.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = ref.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') {
    return DOCKER_HUB_NAMES.has(first) ? 'docker.io' : first;
  }
  return 'docker.io';
}

/**
 * Credentials for pulling `ref`, or undefined when none are configured (the pull then
 * goes anonymous). A broken config file or a failing helper is an E_IMAGE_PULL error
 * naming the file or helper, never the secret.
 */
export async function resolveRegistryAuth(
  ref: string,
  env: NodeJS.ProcessEnv,
): Promise<RegistryAuth | undefined> {
  const host = registryHost(ref);
  const config = await readDockerConfig(env);
  if (!config) return undefined;
  const server = host === 'docker.io' ? DOCKER_HUB_SERVER : host;
  const helper = findByHost(config.credHelpers ?? {}, host) ?? config.credsStore;
  if (helper) {
    const fromHelper = await askHelper(helper, server, env);
    if (fromHelper) return fromHelper;
  }
  const entry = findByHost(config.auths ?? {}, host);
  return entry ? fromAuthEntry(entry, server) : undefined;
}

/** The config folder: DOCKER_CONFIG, else ~/.docker (HOME from `env`). */
export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  return join(dir, 'config.json');
}

async function readDockerConfig(env: NodeJS.ProcessEnv): Promise<DockerConfigFile | undefined> {
  const path = dockerConfigPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as DockerConfigFile;
  } catch {
    throw new BerthError(
      'E_IMAGE_PULL',
      `cannot read registry credentials: ${path} is not valid JSON`,
    );
  }
}

/** The value stored under a key naming `host`: `host`, `https://host`, `https://host/v1/`… */
function findByHost<T>(table: Record<string, T>, host: string): T | undefined {
  for (const [key, value] of Object.entries(table)) {
    const keyHost = key.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
    const same = keyHost === host || (host === 'docker.io' && DOCKER_HUB_NAMES.has(keyHost));
    if (same) return value;
  }
  return undefined;
}

function fromAuthEntry(
  entry: NonNullable<DockerConfigFile['auths']>[string],
  server: string,
): RegistryAuth | undefined {
  if (entry.identitytoken) return { identitytoken: entry.identitytoken, serveraddress: server };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return {
      username: decoded.slice(0, colon),
      password: decoded.slice(colon + 1),
      serveraddress: server,
    };
  }
  if (entry.username !== undefined && entry.password !== undefined) {
    return { username: entry.username, password: entry.password, serveraddress: server };
  }
  return undefined;
}

/**
 * Runs `docker-credential-<helper> get` with the server on stdin, as Docker does. "Not
 * found" answers (and a helper that is not installed) mean no credentials; a username of
 * `<token>` means the secret is an identity token.
 */
async function askHelper(
  helper: string,
  server: string,
  env: NodeJS.ProcessEnv,
): Promise<RegistryAuth | undefined> {
  const program = `docker-credential-${helper}`;
  const answer = await new Promise<{ code: number | string; stdout: string }>((resolve) => {
    const child = execFile(program, ['get'], { env, timeout: HELPER_TIMEOUT_MS }, (error, stdout) =>
      resolve({
        code: error ? ((error as { code?: number | string }).code ?? 1) : 0,
        stdout: String(stdout),
      }),
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(server);
  });
  if (answer.code === 'ENOENT') return undefined;
  // Helpers print "credentials not found in native keychain" on stdout and exit 1.
  if (answer.code !== 0) {
    if (/not found/i.test(answer.stdout)) return undefined;
    throw new BerthError('E_IMAGE_PULL', `credential helper ${program} failed for ${server}`);
  }
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(answer.stdout) as typeof parsed;
  } catch {
    throw new BerthError('E_IMAGE_PULL', `credential helper ${program} gave an unreadable answer`);
  }
  if (!parsed.Secret) return undefined;
  if (parsed.Username === '<token>') return { identitytoken: parsed.Secret, serveraddress: server };
  return { username: parsed.Username ?? '', password: parsed.Secret, serveraddress: server };
}
