import type { ObjectKey } from '../../specs/model.js';
import { visibleText } from '../../specs/visible-text.js';

/**
 * A removal the engine refused because containers use the object: an image they run, or a
 * network they are attached to (another project's, one berth does not own, most often: a
 * network with a fixed engine name others join). `delete`/`down` keep it and name them, as
 * Compose's `down` warns "Resource is still in use" (F346, F462); it stays in the last
 * applied set, so the next `down` removes it once it is free. Takes an outcome or the
 * executor's `failed` progress event of it.
 */
export function isKeptInUse(o: {
  key: ObjectKey;
  outcome: string;
  inUseBy?: readonly string[];
}): boolean {
  const kind = o.key.slice(0, o.key.indexOf('/'));
  return (
    (kind === 'Image' || kind === 'Network') &&
    o.outcome === 'failed' &&
    (o.inUseBy?.length ?? 0) > 0
  );
}

/** What is said of such an object: `kept, still used by container a (not deleted here)…`. */
export function keptInUseText(users: readonly string[]): string {
  const containers = users.length === 1 ? 'container' : 'containers';
  return (
    `kept, still used by ${containers} ${visibleText(users.join(', '))} (not deleted here); ` +
    `berth down removes it once no container uses it`
  );
}
