import type { EngineAddress } from '../engine/docker/engine-address.js';
import { resolveEngineTarget, type EngineFlags } from '../engine/docker/docker-context.js';
import { BerthError } from '../errors.js';

/**
 * The engine address for CLI commands, by the docker CLI's precedence: `--engine`,
 * `--context`, `DOCKER_HOST`, `DOCKER_CONTEXT`, the current context, the local socket.
 * Both `--engine` and `--context` is a usage error (exit 1), as `docker -H … --context …`.
 */
export function engineAddress(flags: EngineFlags, env: NodeJS.ProcessEnv): EngineAddress {
  if (flags.engine?.trim() && flags.context?.trim()) {
    throw new BerthError(
      'E_USAGE',
      'conflicting options: cannot specify both --engine and --context',
    );
  }
  return resolveEngineTarget(flags, env);
}
