/**
 * The build's `cachefrom` query parameter: the images the builder may take cache from, as
 * one JSON array (the engine reads `cachefrom=["a","b"]`; the legacy builder and BuildKit
 * alike). A plain array would reach the query as `cachefrom=a&cachefrom=b` (docker-modem
 * passes arrays through), which the engine reads as the first entry only, or not at all.
 * Nothing when there are none, so a build without it sends what it always sent.
 */
export function cacheFromQuery(refs: readonly string[] | undefined): { cachefrom?: string } {
  return refs?.length ? { cachefrom: JSON.stringify(refs) } : {};
}
