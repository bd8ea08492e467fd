import { readFile } from 'node:fs/promises';
import { resolveManifestPath } from './paths.js';
import { parseEnvFile } from '../interpolate/env-file.js';
import type { NormaliseContext } from './context.js';

/**
 * `spec.envFiles`, read in order (later files win) relative to the manifest, with the same
 * dotenv reader as `.env` (specs/interpolate/env-file.ts). A missing file (E_IO) or a line
 * that is not `NAME=VALUE` (E_ENV_FILE) is a problem at the `envFiles` entry, naming the
 * env file's own line.
 */
export async function readEnvFiles(
  written: string[] | undefined,
  ctx: NormaliseContext,
): Promise<{ paths: string[]; values: Record<string, string> }> {
  const paths = (written ?? []).map((file) => resolveManifestPath(ctx.baseDir, file));
  const values: Record<string, string> = {};
  for (const [index, path] of paths.entries()) {
    const at = ['spec', 'envFiles', index];
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
      const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`;
      ctx.report('E_IO', at, `${path} ${why}`);
      continue;
    }
    const parsed = parseEnvFile(text);
    if ('variables' in parsed) Object.assign(values, parsed.variables);
    else ctx.report('E_ENV_FILE', at, `${path}:${parsed.error.line}: ${parsed.error.message}`);
  }
  return { paths, values };
}
