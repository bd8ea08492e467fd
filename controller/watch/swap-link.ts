import { watch } from 'node:fs';

/**
 * The link a Kubernetes-style atomic writer swaps (a ConfigMap or Secret volume:
 * `app.yaml -> ..data/app.yaml`, the new revision put in place by `mv -T ..data_tmp ..data`).
 */
export const ATOMIC_SWAP_LINK = '..data';

/**
 * Calls `onSwap` whenever `..data` in `dir` is replaced. The swap changes no file chokidar
 * watches (the links through `..data` stay as they were, and chokidar sees no event for a
 * replaced link to a folder: F122), so the folder itself is watched for that one name, with
 * one inotify watch and no reads. Returns what stops it. A folder that cannot be watched
 * (gone) is left to the periodic resync.
 */
export function watchSwapLink(dir: string, onSwap: () => void): () => void {
  try {
    const watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name === ATOMIC_SWAP_LINK) onSwap();
    });
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  } catch {
    return () => undefined;
  }
}
