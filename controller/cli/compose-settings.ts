import { join } from 'node:path';
import { readEnvFileQuietly } from '../../specs/interpolate/env-file.js';

/** What Compose's own variables choose for `berth import`, when the command line does not. */
export interface ComposeSettings {
  /** `COMPOSE_FILE`: the Compose files, split on `COMPOSE_PATH_SEPARATOR` (default `:`). */
  files?: string[];
  /** `COMPOSE_PROJECT_NAME`: wins over the Compose file's `name:`, loses to `-p`. */
  project?: string;
  /** `COMPOSE_PROFILES`: comma-separated. */
  profiles: string[];
}

/**
 * Reads `COMPOSE_FILE`, `COMPOSE_PROJECT_NAME`, `COMPOSE_PROFILES` (and
 * `COMPOSE_PATH_SEPARATOR`) as docker compose does: from the environment, else from `.env`
 * in the working folder. A `.env` that does not parse gives no settings here (the
 * manifests' own checks report it where its values are used).
 */
export function composeSettings(cwd: string, env: NodeJS.ProcessEnv): ComposeSettings {
  const dotenv = readEnvFileQuietly(join(cwd, '.env'), env);
  const get = (name: string) => env[name] ?? dotenv[name];
  const split = (value: string | undefined, by: string) =>
    (value ?? '').split(by).filter((part) => part !== '');
  const files = split(get('COMPOSE_FILE'), get('COMPOSE_PATH_SEPARATOR') || ':');
  const project = get('COMPOSE_PROJECT_NAME');
  return {
    ...(files.length ? { files } : {}),
    ...(project ? { project } : {}),
    profiles: split(get('COMPOSE_PROFILES'), ','),
  };
}
