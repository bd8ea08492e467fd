import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportResult } from '../../specs/compose/index.js';
import { importCompose } from '../../specs/compose/index.js';
import { loadManifests, type LoadResult } from '../../specs/index.js';
import { tempDir } from './temp-dir.js';

/**
 * Imports `compose` (the text of compose.yaml, beside a `.env` of `dotEnv` when given) in a
 * fresh temp folder, writes the manifests and the `.env` import made into its `out/` (a
 * relative host path in them is relative to `out/`), and loads them as `berth validate` does
 * (variables from `env` only). Throws what importCompose throws.
 */
export async function importAndLoad(
  compose: string,
  options: { dotEnv?: string; env?: Record<string, string> } = {},
): Promise<{ result: ImportResult; loaded: LoadResult }> {
  const dir = tempDir('berth-import-load-');
  writeFileSync(join(dir, 'compose.yaml'), compose);
  if (options.dotEnv) writeFileSync(join(dir, '.env'), options.dotEnv);
  const out = join(dir, 'out');
  const result = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
  mkdirSync(out);
  for (const [name, text] of result.manifests) writeFileSync(join(out, name), text);
  writeFileSync(join(out, '.env'), result.dotEnv.text);
  const loaded = await loadManifests([out], { cwd: out, env: options.env ?? {} });
  return { result, loaded };
}

/**
 * Imports `lines` (joined as `compose.yaml`, ending in a newline) in a fresh temp folder and
 * returns what import made, its output folder `out/` unwritten. Throws what importCompose
 * throws (ComposeInputError for a refused file).
 */
export function importLines(lines: string[]): ImportResult {
  const dir = tempDir('berth-import-lines-');
  writeFileSync(join(dir, 'compose.yaml'), [...lines, ''].join('\n'));
  return importCompose({
    files: ['compose.yaml'],
    cwd: dir,
    outDir: join(dir, 'out'),
    profiles: [],
  });
}
