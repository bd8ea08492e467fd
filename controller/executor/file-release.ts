import { readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ObservedContainer } from '../engine/engine.js';
import { ownedContainerName } from '../container-names.js';
import { containerFolder, filesFolder } from '../plan/file-mount-paths.js';
import { inside } from '../../specs/index.js';

/**
 * Takes away the Secret and Config files of a container the engine no longer has
 * (FINDINGS F123: copies of secrets outlived their containers — recreated, scaled down,
 * pruned, deleted, brought down — under the state directory for good). Called by the
 * execute step that removed the container, once the engine has answered.
 */

/** The container just removed, as the observation knew it. */
export type RemovedContainer = Pick<ObservedContainer, 'name' | 'labels' | 'mountSources'>;

/**
 * Removes the files under `<filesDir>/<project>/files/` that `removed` mounted — its bind
 * sources, or, where the engine did not list them, its declared name's folder — except those
 * in `stillMounted` (other containers of the project, the one created in its place); then
 * each folder left empty, up to the project's `files` folder. Idempotent; never throws (a
 * file that cannot go stays, as before).
 */
export async function releaseFileMounts(
  filesDir: string,
  project: string,
  removed: RemovedContainer,
  stillMounted: ReadonlySet<string>,
): Promise<void> {
  const root = filesFolder(filesDir, project);
  const candidates = await filesOf(filesDir, project, root, removed);
  const folders = new Set<string>();
  for (const path of candidates) {
    if (stillMounted.has(path)) continue;
    await rm(path, { force: true }).catch(() => undefined);
    folders.add(dirname(path));
  }
  for (const folder of folders) await removeEmptyUpTo(folder, dirname(root));
}

/** Host paths bind-mounted by `containers`, for {@link releaseFileMounts}'s `stillMounted`. */
export function mountedBy(
  containers: Iterable<Pick<ObservedContainer, 'mountSources'>>,
): Set<string> {
  const paths = new Set<string>();
  for (const c of containers) for (const p of c.mountSources ?? []) paths.add(p);
  return paths;
}

async function filesOf(
  filesDir: string,
  project: string,
  root: string,
  removed: RemovedContainer,
): Promise<string[]> {
  if (removed.mountSources)
    return removed.mountSources.filter((p) => p !== root && inside(root, p));
  const name = ownedContainerName(removed, project);
  if (!name) return [];
  const folder = containerFolder(filesDir, project, name);
  const entries = await readdir(folder).catch(() => [] as string[]);
  return entries.map((e) => join(folder, e));
}

/** Removes `folder` and its parents while they are empty, stopping below `stop`. */
async function removeEmptyUpTo(folder: string, stop: string): Promise<void> {
  for (let f = folder; f !== stop && inside(stop, f); f = dirname(f)) {
    const gone = await rmdir(f).then(
      () => true,
      () => false,
    );
    if (!gone) return;
  }
}
