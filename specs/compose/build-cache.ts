import { lose } from './state.js';
import type { ImportState } from './state.js';
import { text } from './values.js';

/**
 * `build.cache_from` → the Image build's `cacheFrom`: an image reference as it is, and
 * buildx's `type=registry,ref=REF` as REF (the same cache source, written the long way). The
 * engine's build API takes image references only, so other cache backends buildx reads
 * (`type=local,src=…`, `type=gha`, `type=s3`…) are each named a loss.
 */
export function buildCacheFrom(
  state: ImportState,
  service: string,
  value: unknown,
): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const refs = value.flatMap((entry: unknown, i) => {
    const written = text(entry);
    const ref = registryRef(written);
    if (ref !== undefined) return [ref];
    lose(
      state,
      value,
      i,
      `services.${service}.build.cache_from[${i}]`,
      `${written}: the engine's build takes cache from images only (an image reference, or type=registry,ref=…)`,
    );
    return [];
  });
  return refs.length ? refs : undefined;
}

/** `REF` or `type=registry,ref=REF`; undefined for any other cache backend. */
function registryRef(written: string): string | undefined {
  if (!written.includes('=')) return written;
  const attrs = new Map(
    written.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const onlyRef = [...attrs.keys()].every((k) => k === 'type' || k === 'ref');
  return attrs.get('type') === 'registry' && attrs.get('ref') && onlyRef
    ? attrs.get('ref')
    : undefined;
}
