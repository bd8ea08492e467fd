import type { Engine } from '../engine/engine.js';
import { createDockerEngine } from '../engine/docker/docker-engine.js';
import type { EngineFlags } from '../engine/docker/docker-context.js';
import { engineAddress } from './engine-flags.js';

/** The engine for CLI commands (see {@link engineAddress} for which one). */
export async function connectEngine(flags: EngineFlags, env: NodeJS.ProcessEnv): Promise<Engine> {
  return createDockerEngine(engineAddress(flags, env));
}
