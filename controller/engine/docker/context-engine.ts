import type { Engine } from '../engine.js';
import { readDockerContext } from './docker-context.js';

/**
 * The engine of Docker context `name` (`spec.placement.context`), read from the context store
 * as `docker --context` does (docker-context.ts). Makes no call yet; the adapter is loaded on
 * demand, so a command that never leaves berth's own engine never loads it. Rejects with
 * E_ENGINE_UNREACHABLE when the context cannot be read (not found, broken meta.json).
 */
export async function engineOfContext(name: string, env: NodeJS.ProcessEnv): Promise<Engine> {
  const { createDockerEngine } = await import('./docker-engine.js');
  return createDockerEngine(readDockerContext(name, env));
}
