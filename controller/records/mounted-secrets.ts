import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rememberValue } from '../../specs/file-values.js';
import { filesFolder, isSecretFileName } from '../plan/file-mount-paths.js';

/**
 * Makes every Secret value the project's containers mount known to this process (F562), so
 * that an excerpt of their output hides it (lifecycle/output-excerpt.ts): the files berth
 * wrote for the mounts under `<stateDir>/<project>/files/` — what a container can print,
 * also an older value a container still mounts after its source changed, also when the value
 * is read nowhere else (status of the last applied set, a controller's API). Never throws: a
 * folder or file that cannot be read only hides nothing more.
 */
export async function rememberMountedSecrets(stateDir: string, project: string): Promise<void> {
  const files = filesFolder(stateDir, project);
  const containers = await readdir(files).catch(() => [] as string[]);
  for (const container of containers) {
    const names = await readdir(join(files, container)).catch(() => [] as string[]);
    for (const name of names.filter(isSecretFileName)) {
      const bytes = await readFile(join(files, container, name)).catch(() => undefined);
      if (bytes) rememberValue(bytes, 'secret');
    }
  }
}
