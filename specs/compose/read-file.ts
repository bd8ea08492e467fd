import { readFileSync } from 'node:fs';
import { ComposeInputError, isRecord, readLocated, whereKey, whereNode } from './located.js';
import type { UnknownTag } from './located.js';
import { SECTIONS } from './load-context.js';
import type { LoadContext } from './load-context.js';
import { hostPath } from './normalise.js';
import { isBindVolume } from '../volume-options.js';

const TOP_LEVEL = new Set(['version', 'name', 'include', 'models', ...SECTIONS]);

/**
 * Reads and parses one Compose file (`shown` is its name in messages); records its unknown
 * YAML tags in `ctx` and caches the tree. An empty file is `{}`. Throws ComposeInputError
 * when the file cannot be read or its top level is not a mapping.
 */
export function parseFile(file: string, shown: string, ctx: LoadContext): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e);
    throw new ComposeInputError({ file: shown, line: 1, column: 1 }, `cannot read: ${reason}`);
  }
  const tree = readLocated(text, shown, (tag) => {
    const { file, line, column } = tag.where;
    const same = (t: UnknownTag) =>
      t.where.file === file && t.where.line === line && t.where.column === column;
    if (!ctx.unknownTags.some(same)) ctx.unknownTags.push(tag);
  });
  if (tree === null) return {};
  if (!isRecord(tree))
    throw new ComposeInputError(
      whereNode(tree) ?? { file: shown, line: 1, column: 1 },
      'not a Compose file: the top level must be a mapping',
    );
  ctx.cache.set(file, tree);
  return tree;
}

/**
 * Refuses a top-level key Compose does not know (x-* are free), naming a version 1 file as
 * such, and a section that is not a mapping. Throws ComposeInputError at the key.
 */
export function checkTopLevel(tree: Record<string, unknown>, shown: string): void {
  for (const key of Object.keys(tree)) {
    if (TOP_LEVEL.has(key) || key.startsWith('x-')) continue;
    const at = whereKey(tree, key) ?? { file: shown, line: 1, column: 1 };
    const value = tree[key];
    if (!('services' in tree) && isRecord(value) && ('image' in value || 'build' in value))
      throw new ComposeInputError(
        at,
        `a version 1 Compose file (services at the top level, no "services:"); ` +
          `move them under "services:" first`,
      );
    throw new ComposeInputError(
      at,
      `unknown top-level key "${key}" (expected ${[...TOP_LEVEL].join(', ')} or x-*)`,
    );
  }
  for (const key of SECTIONS) {
    const value = tree[key];
    if (value !== undefined && value !== null && !isRecord(value))
      throw new ComposeInputError(whereKey(tree, key)!, `${key}: must be a mapping`);
  }
}

/** Makes the `file` of each secret or config absolute against `dir`, in place. */
export function absolutiseFiles(objects: Record<string, unknown>, dir: string): void {
  for (const obj of Object.values(objects))
    if (isRecord(obj) && typeof obj.file === 'string') obj.file = hostPath(obj.file, dir);
}

/**
 * A local volume that binds a host folder (`driver_opts: {o: bind, device: ./data}`) names a
 * path relative to its Compose file, as Compose resolves it (F90); kept relative in the output.
 */
export function absolutiseBindDevices(volumes: Record<string, unknown>, dir: string): void {
  for (const volume of Object.values(volumes)) {
    const opts = isRecord(volume) ? volume.driver_opts : undefined;
    if (!isRecord(opts) || typeof opts.device !== 'string') continue;
    const o = typeof opts.o === 'string' ? opts.o : '';
    if (isBindVolume({ o })) opts.device = hostPath(opts.device, dir);
  }
}
