import { basename, dirname, join, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { contextFilter, inside } from '../../specs/index.js';
import type { ContextFilter, ReferencedPaths } from '../../specs/index.js';
import { FOLDER_DEBOUNCE_MS } from './folder-source.js';
import { ATOMIC_SWAP_LINK, watchSwapLink } from './swap-link.js';
import type { WorkSink, WorkSource } from './work-reason.js';

/** The files and build contexts the desired set reads, as a work source. */
export interface ReferencedSource extends WorkSource {
  /**
   * Watches what `refs` names from now on (called after each read of the set); paths it no
   * longer names are unwatched, unchanged ones keep their watches. A context's
   * `.dockerignore` is read again here.
   */
  follow(refs: ReferencedPaths): Promise<void>;
}

/** What is watched now: referenced files by folder, and each context with its filter. */
interface Watched {
  files: Map<string, Set<string>>;
  contexts: Map<string, ContextFilter>;
}

/**
 * The paths the manifests reference (specs/referenced-paths.ts: Secret/Config files,
 * `envFiles`, build contexts) watched with chokidar, one `manifest-changed` pushed per burst
 * of changes, debounced as the folder's own changes are: the controller then reads the set
 * again, which recomputes the digests and content hashes (F122). Cheap for big contexts:
 * an event reads nothing; what a context's `.dockerignore` leaves out is not even watched
 * (the same filter as the context's content hash), and a file's folder is watched for that
 * file's name alone. Never watches anything the manifests do not name.
 */
export function referencedSource(): ReferencedSource {
  let watcher: FSWatcher | undefined;
  let sink: WorkSink | undefined;
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  let watched: Watched = { files: new Map(), contexts: new Map() };
  /** A Kubernetes-style swap of `..data` beside a referenced file (swap-link.ts), by folder. */
  const swaps = new Map<string, () => void>();
  let following = Promise.resolve();
  const onEvent = (path: string) => {
    changed.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const paths = [...changed].sort();
      changed.clear();
      void sink?.push({ kind: 'manifest-changed', paths, referenced: true });
    }, FOLDER_DEBOUNCE_MS);
  };
  return {
    name: 'referenced files',
    start(to) {
      sink = to;
      return Promise.resolve();
    },
    follow(refs) {
      // One at a time: reloads may overlap, their watchers must not.
      following = following.then(async () => {
        const next = await watchedOf(refs);
        const before = [...rootsOf(watched)].sort().join('\n');
        const after = [...rootsOf(next)].sort();
        watched = next;
        // Chokidar's unwatch leaves the files below a folder watched: a new watcher instead
        // (the references change only when the set does).
        if (after.join('\n') !== before) {
          await watcher?.close();
          watcher = after.length ? watchRoots(after, () => watched, onEvent) : undefined;
        }
        followSwaps(swaps, [...next.files.keys()], onEvent);
      });
      return following;
    },
    async stop() {
      await following;
      clearTimeout(timer);
      followSwaps(swaps, [], onEvent);
      sink = undefined;
      await watcher?.close();
    },
  };
}

/** Keeps one `..data` swap watch (swap-link.ts) on each of `dirs`, and none elsewhere. */
function followSwaps(
  swaps: Map<string, () => void>,
  dirs: string[],
  onEvent: (path: string) => void,
): void {
  for (const [dir, stopSwap] of swaps) {
    if (dirs.includes(dir)) continue;
    stopSwap();
    swaps.delete(dir);
  }
  for (const dir of dirs)
    if (!swaps.has(dir))
      swaps.set(
        dir,
        watchSwapLink(dir, () => onEvent(join(dir, ATOMIC_SWAP_LINK))),
      );
}

/** One chokidar watcher of `roots`, filtered by what is watched now. */
function watchRoots(
  roots: string[],
  watched: () => Watched,
  onEvent: (path: string) => void,
): FSWatcher {
  const watcher = watch(roots, {
    ignoreInitial: true,
    ignored: (path, stats) => ignoredReference(watched(), path, stats),
    // Editors that save by writing a temp file and renaming it over the original.
    atomic: true,
    persistent: true,
  });
  watcher.on('all', (_event, path) => onEvent(path));
  // A vanished path is seen by the periodic resync, which stats every referenced path.
  watcher.on('error', () => undefined);
  return watcher;
}

async function watchedOf(refs: ReferencedPaths): Promise<Watched> {
  const files = new Map<string, Set<string>>();
  for (const file of refs.files) {
    const names = files.get(dirname(file)) ?? new Set<string>();
    names.add(basename(file));
    files.set(dirname(file), names);
  }
  const contexts = new Map<string, ContextFilter>();
  for (const { dir, dockerfile } of refs.contexts)
    contexts.set(dir, await contextFilter(dir, dockerfile));
  return { files, contexts };
}

/** The folders given to chokidar: each referenced file's folder and each context. */
function rootsOf(watched: Watched): Set<string> {
  return new Set([...watched.files.keys(), ...watched.contexts.keys()]);
}

/**
 * Whether chokidar should pass over `path`: anything but a watched root, a referenced file
 * and what a context sends.
 * Chokidar asks first without `stats`: a context path is then passed over only when it is a
 * folder nothing under which is sent.
 */
export function ignoredReference(
  watched: Watched,
  path: string,
  stats?: { isDirectory(): boolean },
): boolean {
  if (watched.files.has(path) || watched.contexts.has(path)) return false;
  const name = basename(path);
  const names = watched.files.get(dirname(path));
  if (names?.has(name)) return false;
  for (const [dir, filter] of watched.contexts) {
    if (!inside(dir, path)) continue;
    const rel = relative(dir, path).split(sep).join('/');
    if (!stats) return filter.skipsFolder(rel);
    return stats.isDirectory() ? filter.skipsFolder(rel) : filter.excludesFile(rel);
  }
  return true;
}
