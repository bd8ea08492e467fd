import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const requireHere = createRequire(import.meta.url);
let loaded: typeof Yaml | undefined;

/**
 * The `yaml` package, loaded (as CommonJS, synchronously) the first time the full parse
 * path needs it. Plain manifests are read by the fast path (fast.ts) without it, and
 * evaluating its ~260 KB at every start cost `validate`, `plan` and `apply` time whether
 * they used it or not (issue 18). Only a file the fast path leaves alone (anchors, tags,
 * syntax errors) or a problem whose position must be found loads it.
 */
export function yamlLib(): typeof Yaml {
  return (loaded ??= requireHere('yaml') as typeof Yaml);
}

// The few functions the full path uses, bound on first call. Each cast only restores the
// generic type-guard signature the wrapper forwards to.
export const isAlias = ((n: unknown) => yamlLib().isAlias(n)) as typeof Yaml.isAlias;
export const isMap = ((n: unknown) => yamlLib().isMap(n)) as typeof Yaml.isMap;
export const isNode = ((n: unknown) => yamlLib().isNode(n)) as typeof Yaml.isNode;
export const isPair = ((n: unknown) => yamlLib().isPair(n)) as typeof Yaml.isPair;
export const isScalar = ((n: unknown) => yamlLib().isScalar(n)) as typeof Yaml.isScalar;
export const isSeq = ((n: unknown) => yamlLib().isSeq(n)) as typeof Yaml.isSeq;
