/**
 * A module loaded on its first use and shared after it: one `import()`, then the same promise
 * (an `import()` per call costs the module loader's resolution each time: ~10–30 ms for
 * 1,000 objects here). The kinds load their normalisers so (specs/kinds/*.ts).
 */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}
