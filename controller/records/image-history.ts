import type { DesiredObject } from '../../specs/model.js';
import type { Engine, ObservedImage } from '../engine/engine.js';
import { findImage } from '../plan/image-ref.js';
import type { HistoryEntry, HistoryImage } from './record-types.js';
import { entriesInDepth } from './history-fold.js';
import { readHistory } from './records.js';

/**
 * The images a desired set runs on, as the engine has them now: what history records so
 * `rollback` uses exact images. A ref the engine lacks is left out. `known` is the engine's
 * image list when it is still current (nothing was built, pulled or tagged since it was
 * read): refs found there cost no call; others are inspected, one call per distinct ref.
 */
export async function imagesOfSet(
  engine: Engine,
  desired: readonly DesiredObject[],
  known?: readonly ObservedImage[],
): Promise<HistoryImage[]> {
  const built = new Map<string, boolean>();
  for (const o of desired) {
    if (o.kind === 'Image') built.set(o.spec.ref, Boolean(o.spec.build));
    if (o.kind === 'Container' && !built.has(o.spec.image.ref)) built.set(o.spec.image.ref, false);
  }
  const found = await Promise.all(
    [...built.keys()].sort().map(async (ref) => {
      const image =
        (known && findImage(known, ref)) ?? (await engine.inspectImage(ref).catch(() => undefined));
      if (!image) return undefined;
      const entry: HistoryImage = {
        ref,
        id: image.id,
        digest: image.repoDigests[0] ?? null,
        built: built.get(ref) ?? false,
      };
      return entry;
    }),
  );
  return found.filter((i): i is HistoryImage => i !== undefined);
}

/**
 * Ids of the images the applies in the rollback depth ran on (those whose set history keeps,
 * the same entries `rollback` can go back to): the built images berth must keep. Undefined
 * when such an entry predates image records — then nothing is known to be unused and nothing
 * is removed.
 */
export function keptImageIds(entries: readonly HistoryEntry[]): Set<string> | undefined {
  const kept = new Set<string>();
  for (const entry of entriesInDepth(entries)) {
    if (!entry.images) return undefined;
    for (const image of entry.images) kept.add(image.id);
  }
  return kept;
}

/** ref → image id of an apply in history: what a rollback to it points each ref at again. */
export function pinnedImages(entry: HistoryEntry): Map<string, string> {
  return new Map((entry.images ?? []).map((i) => [i.ref, i.id]));
}

/** {@link keptImageIds} of the project's recorded history; undefined when it cannot be read. */
export async function keptImagesOf(
  stateDir: string,
  project: string,
): Promise<Set<string> | undefined> {
  const history = await readHistory(stateDir, project);
  return history.ok ? keptImageIds(history.value) : undefined;
}
