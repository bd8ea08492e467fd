import { basename, join } from 'node:path';
import type { Stats } from 'node:fs';
import { watch, type FSWatcher } from 'chokidar';
import { ATOMIC_SWAP_LINK, watchSwapLink } from './swap-link.js';
import type { WorkSource } from './work-reason.js';

/** Changes closer together than this are one change (an editor's save is several events). */
export const FOLDER_DEBOUNCE_MS = 150;

/**
 * Files the folder watcher ignores: hidden ones (but `.env`, the variables' file), editor temp
 * and backup files, and any file that is not YAML. Folders are never ignored here (the read is
 * recursive), except hidden ones.
 */
export function ignoredPath(path: string, stats?: Stats): boolean {
  const name = basename(path);
  if (name === '.env') return false;
  if (name.startsWith('.') && name.length > 1) return true;
  if (
    name.endsWith('~') ||
    /^#.*#$/.test(name) ||
    /\.(swp|swx|tmp|bak)$/.test(name) ||
    name === '4913'
  )
    return true;
  if (stats?.isFile()) return !/\.ya?ml$/.test(name);
  return false;
}

/**
 * The manifest folder as a work source: watches `dir` recursively and pushes one
 * `manifest-changed` per burst of changes, naming the paths that changed. Partial writes
 * need no special care: a half-written file reads as broken and keeps its last good objects
 * until the write that completes it fires the next change. A Kubernetes-style swap of the
 * folder's `..data` link (a ConfigMap volume) is a change too (swap-link.ts, F122).
 */
export function folderSource(dir: string): WorkSource {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let stopSwap: (() => void) | undefined;
  const paths = new Set<string>();
  return {
    name: 'folder',
    start(sink) {
      const onChange = (path: string) => {
        paths.add(path);
        clearTimeout(timer);
        timer = setTimeout(() => {
          const changed = [...paths].sort();
          paths.clear();
          void sink.push({ kind: 'manifest-changed', paths: changed });
        }, FOLDER_DEBOUNCE_MS);
      };
      watcher = watch(dir, {
        ignoreInitial: true,
        ignored: ignoredPath,
        // Editors that save by writing a temp file and renaming it over the original.
        atomic: true,
        persistent: true,
      });
      watcher.on('all', (_event, path) => onChange(path));
      // A vanished or unreadable folder is handled by the periodic resync's reload.
      watcher.on('error', () => undefined);
      stopSwap = watchSwapLink(dir, () => onChange(join(dir, ATOMIC_SWAP_LINK)));
      return Promise.resolve();
    },
    async stop() {
      clearTimeout(timer);
      stopSwap?.();
      await watcher?.close();
    },
  };
}
