import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { valueOf } from '../../specs/file-values.js';
import type { ContainerObject, DesiredObject, FileMount } from '../../specs/model.js';
import { BerthError } from '../errors.js';
import { recoverValue } from './file-value-recovery.js';
import { containerFolder, digestOfMount, fileMountPath } from '../plan/file-mount-paths.js';

/** Writes what plan/file-mount-paths.ts names: the host files of secret and config mounts. */

/**
 * Writes the files of every secret/config mount of the container (atomically: a temporary
 * file, chmod/chown, rename) and removes the container's older files, but for those in
 * `stillMounted`: the host paths the container now on the engine mounts. An update keeps the
 * old container running beside the new one until its gate passes, and on a failed gate for
 * good: its files stay until it is removed (file-release.ts), or its next start would find
 * its bind source gone (F170). Idempotent. A value this process did not read is recovered
 * first (file-value-recovery.ts). Throws E_STATE when a value is found nowhere or a file
 * cannot be written.
 */
export async function writeFileMounts(
  stateDir: string,
  project: string,
  container: ContainerObject,
  desired: readonly DesiredObject[],
  stillMounted: ReadonlySet<string> = new Set(),
): Promise<void> {
  const mounts = container.spec.mounts.filter(
    (m): m is FileMount => m.type === 'secret' || m.type === 'config',
  );
  if (mounts.length === 0) return;
  const folder = containerFolder(stateDir, project, container.name);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chmod(join(stateDir, project, 'files'), 0o700);
  const keep = new Set<string>();
  for (const mount of mounts) {
    const path = fileMountPath(stateDir, project, container, mount, desired);
    keep.add(path);
    // A set from history (rollback, a held controller) was not read by this process.
    const kind = mount.type === 'secret' ? 'Secret' : 'Config';
    const object = desired.find((o) => o.kind === kind && o.name === mount.name);
    if (object?.kind === 'Secret' || object?.kind === 'Config')
      await recoverValue(stateDir, project, object);
    await writeOne(path, mount, digestOfMount(mount, desired));
  }
  for (const entry of await readdir(folder)) {
    const path = join(folder, entry);
    if (!keep.has(path) && !stillMounted.has(path)) await rm(path, { force: true });
  }
}

async function writeOne(path: string, mount: FileMount, digest: string): Promise<void> {
  const bytes = valueOf(digest);
  if (!bytes)
    throw new BerthError(
      'E_STATE',
      `the value of ${mount.type === 'secret' ? 'Secret' : 'Config'}/${mount.name} was not read in this run, and neither its source nor berth's files hold it any more`,
    );
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes, { mode: 0o600 });
    // Owner as declared; otherwise whoever runs berth (root, as the engine's socket needs).
    if (mount.uid !== undefined || mount.gid !== undefined)
      await chown(temporary, mount.uid ?? -1, mount.gid ?? -1);
    await chmod(temporary, mount.mode);
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true });
    const why = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new BerthError(
      'E_STATE',
      `cannot write the file for ${mount.type} ${mount.name}: ${why}`,
    );
  }
}
