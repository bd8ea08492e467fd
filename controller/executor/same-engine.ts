import type { ObservedState } from '../engine/engine.js';

/**
 * Which engine groups of a set that spans contexts are in fact one engine: two contexts that
 * name one daemon (a context for the local socket next to the default one; Docker Desktop's
 * `default` and `desktop-linux`). Found at no cost from the observations already made: container
 * and network ids are random 64-hex strings the engine assigns, so one id seen through two
 * contexts means one engine (image ids are content hashes and volume "ids" are names: both
 * are shared by different engines, never used here).
 *
 * Before anything of the project exists on such an engine no object is seen twice: the
 * observations then carry the engine's own mark (`ObserveOptions.identify`, at no extra
 * call), or two groups would both create the project's default network on one engine (a CI
 * run failed on that race). Without this,
 * each group's plan reads the other's objects as "not declared any more" and `--prune`
 * deletes them (found by a new-user trial, session 4).
 *
 * Returns the groups to merge as lists of indexes into `observed` (each list ascending, the
 * first index the group the others join); groups seen by no one else are left out.
 * `undefined` entries (engines that could not be observed) are never merged.
 */
export function sameEngineClusters(observed: readonly (ObservedState | undefined)[]): number[][] {
  const parent = observed.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const seenBy = new Map<string, number>();
  observed.forEach((state, i) => {
    if (!state) return;
    const ids = [
      ...(state.engineMark ? [state.engineMark] : []),
      ...state.containers.map((c) => c.id),
      ...state.networks.map((n) => n.id),
    ];
    for (const id of ids) {
      const other = seenBy.get(id);
      if (other === undefined) seenBy.set(id, i);
      else {
        const [a, b] = [root(other), root(i)];
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const clusters = new Map<number, number[]>();
  observed.forEach((_, i) => {
    const r = root(i);
    clusters.set(r, [...(clusters.get(r) ?? []), i]);
  });
  return [...clusters.values()].filter((c) => c.length > 1);
}
