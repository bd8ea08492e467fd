import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { isRecord, whereKey } from './located.js';
import type { Report } from './value-checks.js';
import { isRemoteContext } from '../build/remote-context.js';

/**
 * Reports a local `build:` context folder that does not exist: docker compose refuses the
 * project (`build path … either does not exist, is not accessible, or is not a valid URL`),
 * where import wrote an Image that only `validate` refused, at the output's position (F263).
 * A remote context or one holding a `${…}` is left to the build and to `validate`.
 */
export function checkBuildContext(
  service: string,
  svc: Record<string, unknown>,
  projectDir: string,
  report: Report,
): void {
  const build = svc.build;
  if (!isRecord(build) || typeof build.context !== 'string') return;
  const context = build.context;
  if (context.includes('$') || isRemoteContext(context) || existsSync(context)) return;
  const [tree, key] = whereKey(build, 'context') ? [build, 'context'] : [svc, 'build'];
  report(
    tree,
    key,
    'E_COMPOSE',
    `services.${service}.build: ${shown(relative(projectDir, context))} does not exist`,
  );
}

/** A path relative to the project folder as one writes it in a Compose file. */
function shown(path: string): string {
  return path.startsWith('.') || path.startsWith('/') ? path : `./${path}`;
}
