/**
 * Runs read-modify-write updates of one project's records one after another within this
 * process. Two changes `berth watch` settles at the same moment would otherwise both read
 * the history before either wrote it, and the later write would drop the other's entry.
 * (Other processes are kept out by the project's lock; this is the in-process half.)
 */
const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `update` after every update queued before it under `key` has settled (resolved or
 * rejected), and returns its result. `key`: the project's record folder.
 */
export function oneAtATime<T>(key: string, update: () => Promise<T>): Promise<T> {
  const before = tails.get(key) ?? Promise.resolve();
  const run = before.then(update, update);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  // Forget the key once nothing else queued behind this update.
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}
