import { isAbsolute, join, relative } from 'node:path';
import type { DesiredObject } from './model.js';

/**
 * The host paths a desired set reads besides its manifests: what `berth watch` must watch
 * (FINDINGS F122: a changed Secret file, env file or build context went unnoticed while
 * `plan` showed steps). Only what the manifests name; never anything else.
 */
export interface ReferencedPaths {
  /**
   * Files whose bytes are part of the set: Secret and Config `file`, Container `envFiles`, a
   * Dockerfile outside its context. Absolute, sorted, unique.
   */
  files: string[];
  /** Local build contexts (their content is hashed): absolute folders, sorted, one per Dockerfile. */
  contexts: { dir: string; dockerfile: string }[];
}

/** The paths `objects` reference (see {@link ReferencedPaths}). Pure. */
export function referencedPaths(objects: readonly DesiredObject[]): ReferencedPaths {
  const files = new Set<string>();
  const contexts = new Map<string, { dir: string; dockerfile: string }>();
  for (const o of objects) {
    if ((o.kind === 'Secret' || o.kind === 'Config') && 'file' in o.spec.source)
      files.add(o.spec.source.file);
    if (o.kind === 'Container') for (const f of o.spec.envFiles ?? []) files.add(f);
    const build = o.kind === 'Image' ? o.spec.build : undefined;
    if (!build || build.remote) continue;
    const context = { dir: build.context, dockerfile: build.dockerfile };
    contexts.set(`${context.dir}\0${context.dockerfile}`, context);
    const dockerfile = join(build.context, build.dockerfile);
    if (build.dockerfileInline === undefined && !inside(build.context, dockerfile))
      files.add(dockerfile);
  }
  return {
    files: [...files].sort(),
    contexts: [...contexts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c),
  };
}

/** Whether `path` is `dir` or lies below it. */
export function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
