import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import { entryFs } from './entry-fs.js';

const { readFileSync, renameSync, rmSync, writeFileSync } = entryFs();

/**
 * The CLI as one CommonJS file (scripts/build.mjs), run through `vm.Script` with a V8 code
 * cache beside it (issue 18: validate of 1,000 objects ≤ 0.3 s). Node 20 has no
 * `module.enableCompileCache` and an ES module cannot take cached data, so this is the only
 * way to skip parsing and compiling the code a command runs again on every start.
 *
 * The cache is `<bundle>.<node version>.cache`: written by the first run that has none (the
 * build runs one), after the work, so the functions that run compiled are in it. V8 rejects a
 * cache of another V8 or other V8 flags and compiles from the source, so a stale cache costs
 * time, never correctness; the bundle's name carries its content hash, so a cache never meets
 * another bundle.
 */
export interface CachedBundle<T> {
  exports: T;
  /** Whether V8 took the code cache (false: none yet, or one of other V8 flags, compiled from source). */
  usedCache: boolean;
  /** Writes the code cache when there was none; never throws (a read-only install keeps none). */
  saveCache: () => void;
}

type CommonJsWrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

/** Loads and runs the CommonJS bundle `file`; undefined when there is none (run from source, a partial install). */
export function loadCachedBundle<T>(file: string): CachedBundle<T> | undefined {
  const source = readOptional(file)?.toString('utf8');
  if (source === undefined) return undefined;
  const cacheFile = `${file.replace(/\.cjs$/, '')}.${process.version}.cache`;
  const cachedData = readOptional(cacheFile);
  // Node's own CommonJS wrapper, so the bundle sees what `require` would give it.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as T };
  const run = script.runInThisContext() as CommonJsWrapper;
  run(module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    usedCache: cachedData !== undefined && !script.cachedDataRejected,
    saveCache: () => {
      if (!cachedData) writeAtomically(cacheFile, script.createCachedData());
    },
  };
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Two berth processes may write the cache at once: each writes its own file and renames it. */
function writeAtomically(file: string, data: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true, recursive: true });
  }
}
