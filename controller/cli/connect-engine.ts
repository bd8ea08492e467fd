import type { Engine } from '../engine/engine.js';
import { createDockerEngine } from '../engine/docker-engine.js';
import { resolveEngineAddress } from '../engine/engine-address.js';

/** The engine for CLI commands: --engine, else DOCKER_HOST, else the local socket. */
export async function connectEngine(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<Engine> {
  return createDockerEngine(resolveEngineAddress(flag, env));
}
