import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { collectManifestFiles } from '../../specs/index.js';

/**
 * Names, sizes, times of the manifest files and of the variables' files (`--env-file`, else
 * `.env` in the folder): a changed variable is a changed revision too.
 */
export async function folderFingerprint(
  dir: string,
  cwd?: string,
  envFiles?: string[],
): Promise<string> {
  const { files } = await collectManifestFiles([dir], cwd);
  const envPaths = envFiles ?? [join(resolve(cwd ?? process.cwd(), dir), '.env')];
  const stats = await Promise.all(
    [...files.map((f) => f.absolute), ...envPaths].map((path) =>
      stat(path).then(
        (s) => `${path}:${s.size}:${s.mtimeMs}:${s.ino}`,
        () => `${path}:gone`,
      ),
    ),
  );
  return stats.join('\n');
}
