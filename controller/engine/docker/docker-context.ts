import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../engine.js';
import { invalid, resolveEngineAddress, type EngineAddress } from './engine-address.js';

/**
 * Docker contexts, read from Docker's own store so `docker context create/use` and berth
 * agree (DESIGN.md "Several engines and a cluster engine"):
 * - `$DOCKER_CONFIG` (default `~/.docker`)`/config.json` → `currentContext`;
 * - `contexts/meta/<sha256(name)>/meta.json` → `Endpoints.docker.{Host,SkipTLSVerify}`;
 * - `contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem` → the TLS material, when present.
 */

/** The flags that choose an engine: `--engine ADDRESS` and `--context NAME`. */
export interface EngineFlags {
  engine?: string | undefined;
  context?: string | undefined;
}

/** The name Docker gives the engine of `DOCKER_HOST` (or the default socket). */
export const DEFAULT_CONTEXT = 'default';

/** `$DOCKER_CONFIG`, else `~/.docker` (as the docker CLI). */
export function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG?.trim() || join(env.HOME || homedir(), '.docker');
}

/**
 * The context the docker CLI would use, by its own precedence (cli/command/cli.go
 * `resolveContextName`): `--context`, then `--engine` or `DOCKER_HOST` (which mean the
 * default context), then `DOCKER_CONTEXT`, then `currentContext` of config.json, else
 * `default`. `--engine` plays the part of docker's `-H`; docker refuses `-H` with
 * `--context`, and the CLI refuses both flags before it gets here.
 */
export function resolveContextName(flags: EngineFlags, env: NodeJS.ProcessEnv): string {
  const context = flags.context?.trim();
  if (context) return context;
  if (flags.engine?.trim() || env.DOCKER_HOST?.trim()) return DEFAULT_CONTEXT;
  const fromEnv = env.DOCKER_CONTEXT?.trim();
  if (fromEnv) return fromEnv;
  return currentContext(env) ?? DEFAULT_CONTEXT;
}

/**
 * The engine address for these flags and environment: `--engine`/`DOCKER_HOST`/the default
 * socket for the default context, else the endpoint of the named context (its name kept in
 * `context`). Throws EngineError E_ENGINE_UNREACHABLE for a context that is not in the
 * store (docker too cannot reach an engine then) or an endpoint berth cannot use.
 */
export function resolveEngineTarget(flags: EngineFlags, env: NodeJS.ProcessEnv): EngineAddress {
  const name = resolveContextName(flags, env);
  if (name === DEFAULT_CONTEXT) return resolveEngineAddress(flags.engine, env);
  return readDockerContext(name, env);
}

/** The endpoint of context `name` from the store (see the module comment). */
export function readDockerContext(name: string, env: NodeJS.ProcessEnv): EngineAddress {
  if (name === DEFAULT_CONTEXT) return { ...resolveEngineAddress(undefined, env), context: name };
  const dir = dockerConfigDir(env);
  const id = createHash('sha256').update(name).digest('hex');
  const metaPath = join(dir, 'contexts', 'meta', id, 'meta.json');
  if (!existsSync(metaPath)) {
    throw new EngineError(
      'E_ENGINE_UNREACHABLE',
      `context "${name}": context not found (no ${metaPath}; docker context ls lists them)`,
      { operation: 'resolve-context', target: name },
    );
  }
  const meta = readJson(metaPath) as {
    Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
  };
  const endpoint = meta.Endpoints?.docker;
  if (!endpoint?.Host) invalid(`context ${name}`, 'it has no docker endpoint');
  // The endpoint's host is read on its own terms: DOCKER_TLS_VERIFY/DOCKER_CERT_PATH do not apply.
  const address = resolveEngineAddress(endpoint.Host, {});
  if (address.kind !== 'tcp') return { ...address, context: name };
  const tlsDir = join(dir, 'contexts', 'tls', id, 'docker');
  const tlsFiles: { ca?: string; cert?: string; key?: string } = {};
  for (const file of ['ca', 'cert', 'key'] as const) {
    const path = join(tlsDir, `${file}.pem`);
    if (existsSync(path)) tlsFiles[file] = path;
  }
  const skipVerify = endpoint.SkipTLSVerify === true;
  // Docker turns TLS on when the context has TLS material or skips verification.
  const tls = address.tls || skipVerify || Object.keys(tlsFiles).length > 0;
  if (!tls) return { ...address, context: name };
  const withTls = resolveEngineAddress(endpoint.Host.replace(/^tcp:/, 'https:'), {});
  return {
    ...withTls,
    context: name,
    ...(Object.keys(tlsFiles).length ? { tlsFiles } : {}),
    ...(skipVerify ? { skipVerify } : {}),
  };
}

/** `currentContext` of config.json, when set. */
function currentContext(env: NodeJS.ProcessEnv): string | undefined {
  const path = join(dockerConfigDir(env), 'config.json');
  if (!existsSync(path)) return undefined;
  const config = readJson(path) as { currentContext?: unknown };
  return typeof config.currentContext === 'string' && config.currentContext
    ? config.currentContext
    : undefined;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EngineError('E_ENGINE_UNREACHABLE', `cannot read ${path}: ${(e as Error).message}`, {
      operation: 'resolve-context',
      target: path,
    });
  }
}
