import { relative } from 'node:path';
import { ComposeInputError, isRecord, placeKey, whereKey } from './located.js';
import { section } from './load-context.js';
import type { LoadContext } from './load-context.js';
import { mergeTrees } from './merge.js';

/**
 * Reads a Compose file as load.ts does (checked, normalised, includes folded in) and returns
 * its tree: how an `extends: {file: …}` finds its base. Passed in, as load.ts calls this file.
 */
export type ReadTree = (file: string, ctx: LoadContext) => Record<string, unknown>;

/**
 * Resolves the `extends` of one file's services before the next file is merged in, as
 * Compose does (compose-go: extends per document, then the override merge; F261): an
 * override's additions to `app` stay on `app` and are not inherited by `debug: {extends:
 * app}`. A service whose base is not in this file (an override extending a service of the
 * main file) is left for the pass after the merge, which also reports a missing base.
 */
export function resolveFileExtends(
  services: Record<string, unknown>,
  file: string,
  ctx: LoadContext,
  readTree: ReadTree,
): void {
  for (const name of Object.keys(services)) {
    try {
      services[name] = resolveExtends(name, services, file, ctx, readTree, []);
    } catch (e) {
      if (!(e instanceof ComposeInputError)) throw e;
    }
  }
}

/**
 * A service with its `extends` chain merged in (base first). Same-file and `file:` forms;
 * a cycle or a missing base is a ComposeInputError at the `extends` key.
 */
export function resolveExtends(
  name: string,
  services: Record<string, unknown>,
  file: string,
  ctx: LoadContext,
  readTree: ReadTree,
  chain: string[],
): Record<string, unknown> {
  const svc = services[name] as Record<string, unknown>;
  const ext = svc.extends;
  if (ext === undefined) return svc;
  const at = whereKey(svc, 'extends')!;
  if (!isRecord(ext) || typeof ext.service !== 'string')
    throw new ComposeInputError(at, `services.${name}.extends: needs a service name`);
  const baseFile = typeof ext.file === 'string' ? ext.file : file;
  const id = `${file}#${name}`;
  if (chain.includes(id))
    throw new ComposeInputError(
      at,
      `extends cycle: ${[...chain, id].map((c) => c.split('#')[1]).join(' → ')}`,
    );
  const baseServices = baseFile === file ? services : section(readTree(baseFile, ctx), 'services');
  if (!isRecord(baseServices[ext.service]))
    throw new ComposeInputError(
      at,
      `services.${name}.extends: no service "${ext.service}" in ${relative(ctx.cwd, baseFile)}`,
    );
  const base = resolveExtends(ext.service, baseServices, baseFile, ctx, readTree, [...chain, id]);
  const own = { ...svc };
  for (const k of Object.keys(svc)) placeKey(own, k, whereKey(svc, k));
  delete own.extends;
  return mergeTrees(stripInherited(base), own);
}

/** Keys a base service never passes on (Compose: the extending service keeps its own). */
function stripInherited(base: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const k of Object.keys(base)) placeKey(out, k, whereKey(base, k));
  delete out.container_name;
  return out;
}
